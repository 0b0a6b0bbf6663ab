import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  ArrayInput,
  DateTimeInput,
  FormDataConsumer,
  NumberInput,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  maxValue,
  minValue,
  regex,
  required,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AdminOrderFragment } from '../../../schema/generated/graphql';
import { CustomerInput } from '../common/CustomerInput';
import { ORDER_STATUSES, enumChoices } from '../common/enums';
import { formatMoney } from '../common/format';
import { draftTotals, type DraftLine } from './orderTotals';

const QUANTITY = regex(/^\d+(\.\d{1,3})?$/, 'ra.validation.number');
const PRICE = regex(/^\d+(\.\d{1,2})?$/, 'ra.validation.number');
const PERCENT = [
  regex(/^\d+(\.\d{1,2})?$/, 'ra.validation.number'),
  (value: unknown) =>
    value !== undefined && value !== null && value !== '' && Number(value) > 100
      ? { message: 'ra.validation.maxValue', args: { max: 100 } }
      : undefined,
];

/** The last saved totals, as the server computed them; the form never computes a saved value. */
function ServerTotals() {
  const record = useRecordContext<AdminOrderFragment>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Alert severity="info" variant="outlined" sx={{ width: '100%', boxSizing: 'border-box', mb: 1 }}>
      <Typography variant="body2">{translate('resources.orders.totalsNote')}</Typography>
      {record?.total ? (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {translate('resources.orders.fields.subtotal')}: {formatMoney(record.subtotal, record.currency, locale)} ·{' '}
          {translate('resources.orders.fields.discountTotal')}: {formatMoney(record.discountTotal, record.currency, locale)} ·{' '}
          <strong>
            {translate('resources.orders.fields.total')}: {formatMoney(record.total, record.currency, locale)}
          </strong>
        </Typography>
      ) : null}
    </Alert>
  );
}

/** The totals of the lines as they are being typed, by the server's rule; replaced by the server's on save. */
function LiveTotals({ lines, currency }: { lines: DraftLine[] | undefined; currency: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const totals = draftTotals(lines ?? []);
  return (
    <Box
      data-testid="order-live-total"
      aria-live="polite"
      sx={{ width: '100%', display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', columnGap: 3, rowGap: 0.5, mb: 1 }}
    >
      <Typography variant="body2" color="text.secondary">
        {translate('resources.orders.fields.subtotal')}: {formatMoney(totals.subtotal, currency, locale)}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('resources.orders.fields.discountTotal')}: {formatMoney(totals.discountTotal, currency, locale)}
      </Typography>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {translate('resources.orders.liveTotal')}: {formatMoney(totals.total, currency, locale)}
      </Typography>
      {totals.incomplete ? (
        <Typography variant="body2" color="warning.main" sx={{ flexBasis: '100%', textAlign: 'right' }}>
          {translate('resources.orders.incompleteLines', { smart_count: totals.incomplete })}
        </Typography>
      ) : null}
    </Box>
  );
}

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '1fr 1fr 1fr 1fr' }, width: '100%' } as const;

export function OrderForm({ isEdit = false }: { isEdit?: boolean }) {
  return (
    <SimpleForm
      defaultValues={
        isEdit
          ? undefined
          : () => ({
              status: 'QUOTE',
              currency: 'CNY',
              orderedAt: new Date(),
              lines: [{ product: '', quantity: '1', unitPrice: '', discountPercent: '0' }],
            })
      }
    >
      <CustomerInput disabled={isEdit} />
      <Box sx={grid}>
        <SelectInput source="status" choices={enumChoices('OrderStatus', ORDER_STATUSES)} validate={required()} />
        <DateTimeInput source="orderedAt" />
        <TextInput source="currency" validate={regex(/^[A-Z]{3}$/, 'ISO 4217')} />
        <NumberInput source="winProbability" min={0} max={100} validate={[minValue(0), maxValue(100)]} />
      </Box>
      <Box sx={grid}>
        <TextInput source="number" helperText={false} />
        <TextInput source="contractRef" helperText={false} />
      </Box>
      <Box data-testid="order-lines" sx={{ width: '100%' }}>
        <ArrayInput source="lines" validate={required()}>
          <SimpleFormIterator inline disableReordering sx={{ '& .RaSimpleFormIterator-inline': { flexWrap: 'wrap', columnGap: 1 } }}>
            <TextInput
              source="product"
              label="resources.orders.fields.product"
              validate={required()}
              helperText={false}
              sx={{ flex: '1 1 220px', minWidth: 180 }}
            />
            <TextInput
              source="quantity"
              label="resources.orders.fields.quantity"
              validate={[required(), QUANTITY]}
              helperText={false}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              sx={{ width: 110, flexShrink: 0 }}
            />
            <TextInput
              source="unitPrice"
              label="resources.orders.fields.unitPrice"
              validate={[required(), PRICE]}
              helperText={false}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              sx={{ width: 130, flexShrink: 0 }}
            />
            <TextInput
              source="discountPercent"
              label="resources.orders.fields.discountPercent"
              validate={PERCENT}
              helperText={false}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              sx={{ width: 130, flexShrink: 0 }}
            />
          </SimpleFormIterator>
        </ArrayInput>
      </Box>
      <FormDataConsumer<{ lines?: DraftLine[]; currency?: string }>>
        {({ formData }) => <LiveTotals lines={formData.lines} currency={formData.currency || 'CNY'} />}
      </FormDataConsumer>
      <ServerTotals />
    </SimpleForm>
  );
}
