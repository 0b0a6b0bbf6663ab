import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useLocaleState, useTranslate } from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import type { EnumName } from '../common/enums';
import { formatDateTime, intlLocale } from '../common/format';
import { idKind, UUID, useAuditNames, type AuditNames } from './names';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The resource whose field labels name an entity's keys. */
const FIELDS_OF: Record<string, string> = {
  Customer: 'customers',
  TransferRequest: 'transfers',
  ApiKey: 'apiKeys',
  Webhook: 'webhooks',
};

/** Keys whose values are enum values the console labels. */
const VALUE_ENUMS: Record<string, EnumName> = { status: 'TransferStatus', kind: 'ApiKeyKind', scopes: 'Scope' };

type Translate = ReturnType<typeof useTranslate>;

/** A key's label: the audit's own, else the entity's field label, else the key as recorded. */
export function changeLabel(translate: Translate, key: string, entityType: string | null | undefined): string {
  const resource = entityType ? FIELDS_OF[entityType] : undefined;
  const fallback = resource ? translate(`resources.${resource}.fields.${key}`, { _: key }) : key;
  return translate(`resources.auditEvents.changeFields.${key}`, { _: fallback });
}

interface Shown {
  names: AuditNames;
  locale: string;
  translate: Translate;
}

function show(key: string, value: unknown, shown: Shown): string {
  if (value === undefined) return '∅';
  if (value === null) return '—';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item) => show(key, item, shown)).join(', ') || '—';
  if (typeof value === 'number') return new Intl.NumberFormat(intlLocale(shown.locale)).format(value);
  if (typeof value === 'boolean') return shown.translate(value ? 'ra.boolean.true' : 'ra.boolean.false');
  if (typeof value === 'string') {
    if (UUID.test(value)) {
      const kind = idKind(key);
      return (kind && shown.names.name(kind, value)) ?? `${value.slice(0, 8)}…`;
    }
    if (INSTANT.test(value)) return formatDateTime(value, shown.locale);
    if (key === 'code') return shown.translate(`resources.auditEvents.refusals.${value}`, { _: value });
    const type = VALUE_ENUMS[key];
    return type ? shown.translate(`enums.${type}.${value}`, { _: value }) : value;
  }
  return JSON.stringify(value);
}

/**
 * An audit event's before and after, key by key, with labels for keys, names for ids and local
 * dates: `Owner: Guo Guangzhou → Hu Hangzhou`. Names come from the AuditNamesProvider around it.
 */
export function AuditChanges({ event }: { event: Pick<AdminAuditEventFragment, 'before' | 'after' | 'entityType'> }) {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const shown: Shown = { names: useAuditNames(), locale, translate };
  const before = (event.before ?? {}) as Record<string, unknown>;
  const after = (event.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!keys.length) return <>—</>;
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1, fontSize: 12 }}>
      {keys.map((key) => {
        const changed = key in before && key in after;
        return (
          <Box key={key} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="caption" color="text.secondary" title={key}>
              {changeLabel(translate, key, event.entityType)}
            </Typography>
            <Typography component="dd" variant="caption" sx={{ m: 0, wordBreak: 'break-word' }}>
              {changed
                ? `${show(key, before[key], shown)} → ${show(key, after[key], shown)}`
                : show(key, key in after ? after[key] : before[key], shown)}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
