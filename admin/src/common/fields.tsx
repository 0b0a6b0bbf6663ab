import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { EnumName } from './enums';
import { formatDateTime, formatMoney, regionName } from './format';

function valueAt(record: Record<string, any> | undefined, path: string): any {
  return path.split('.').reduce<any>((value, key) => (value === null || value === undefined ? undefined : value[key]), record);
}

export function EnumText({ type, value }: { type: EnumName; value: string | null | undefined }) {
  const translate = useTranslate();
  return <>{value ? translate(`enums.${type}.${value}`, { _: value }) : '—'}</>;
}

/** A translated enum value of the current record, optionally as a chip. */
export function EnumField({
  source,
  type,
  chip = false,
  color,
}: {
  source: string;
  type: EnumName;
  chip?: boolean;
  color?: (value: string) => string | undefined;
  label?: string;
}) {
  const record = useRecordContext();
  const translate = useTranslate();
  const value = valueAt(record, source) as string | null | undefined;
  if (!value) return <Typography variant="body2">—</Typography>;
  const text = translate(`enums.${type}.${value}`, { _: value });
  if (!chip) return <Typography variant="body2">{text}</Typography>;
  const background = color?.(value);
  return <Chip size="small" label={text} sx={background ? { bgcolor: background, color: '#fff' } : undefined} />;
}

export function MoneyField({
  source,
  currencySource = 'currency',
}: {
  source: string;
  currencySource?: string;
  label?: string;
  textAlign?: string;
}) {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  return (
    <Typography variant="body2" component="span" sx={{ whiteSpace: 'nowrap' }}>
      {formatMoney(valueAt(record, source), valueAt(record, currencySource), locale)}
    </Typography>
  );
}

export function DateTimeText({ value, withTime = true }: { value: string | null | undefined; withTime?: boolean }) {
  const [locale] = useLocaleState();
  return <>{formatDateTime(value, locale, withTime)}</>;
}

export function DateTimeField({ source, withTime = true }: { source: string; withTime?: boolean; label?: string }) {
  const record = useRecordContext();
  return (
    <Typography variant="body2" component="span">
      <DateTimeText value={valueAt(record, source)} withTime={withTime} />
    </Typography>
  );
}

export function RegionNameField({ source }: { source: string; label?: string }) {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  return (
    <Typography variant="body2" component="span">
      {regionName(valueAt(record, source), locale)}
    </Typography>
  );
}

/** Who holds an account and where: the owner's name over the territory's, in the viewer's language. */
export function Placement({
  owner,
  territory,
}: {
  owner: { name: string };
  territory: { name: string; nameZh?: string | null } | null | undefined;
}) {
  const [locale] = useLocaleState();
  return (
    <Box>
      <Typography variant="body2">{owner.name}</Typography>
      <Typography variant="caption" color="text.secondary">
        {regionName(territory, locale)}
      </Typography>
    </Box>
  );
}
