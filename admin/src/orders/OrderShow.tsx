import Add from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import {
  EditButton,
  Link,
  Show,
  TopToolbar,
  useCreate,
  useLocaleState,
  useNotify,
  useRefresh,
  useShowContext,
  useTranslate,
  useUpdate,
} from 'react-admin';
import type { AdminOrderFragment, AdminPaymentFragment } from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { DateTimeText, EnumText } from '../common/fields';
import { formatMoney } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import { balanceDue } from './orderTotals';
import { OrderLinesTable } from './OrderLinesTable';

function Totals({ order }: { order: AdminOrderFragment }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const rows: [string, string | null][] = [
    ['subtotal', order.subtotal],
    ['discountTotal', order.discountTotal],
    ['total', order.total],
    ['amountPaid', order.amountPaid],
    ['balance', balanceDue(order) ?? ''],
  ];
  return (
    <Box
      component="dl"
      sx={{ display: 'grid', gridTemplateColumns: 'auto auto', columnGap: 3, rowGap: 0.5, m: 0 }}
      data-testid="order-totals"
    >
      {rows.map(([field, amount]) => (
        <Box key={field} sx={{ display: 'contents', '& dd': { m: 0, textAlign: 'right', fontWeight: field === 'total' ? 600 : 400 } }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`resources.orders.fields.${field}`)}
          </Typography>
          <Typography component="dd" variant="body2">
            {formatMoney(amount, order.currency, locale)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function MarkPaidButton({ payment }: { payment: AdminPaymentFragment }) {
  const translate = useTranslate();
  const refresh = useRefresh();
  const onError = useSaveErrorHandler();
  const [update, { isPending }] = useUpdate();
  return (
    <Button
      size="small"
      disabled={isPending}
      onClick={() =>
        update(
          'payments',
          { id: payment.id, data: { paidAt: new Date().toISOString() }, previousData: payment },
          { mutationMode: 'pessimistic', onSuccess: () => refresh(), onError },
        )
      }
    >
      {translate('resources.orders.payments.markPaid')}
    </Button>
  );
}

function AddPayment({ order }: { order: AdminOrderFragment }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [create, { isPending }] = useCreate();
  const [amount, setAmount] = useState('');
  const [dueDate, setDueDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [paid, setPaid] = useState(true);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create(
      'payments',
      { data: { orderId: order.id, amount, dueDate, paidAt: paid ? new Date().toISOString() : null } },
      {
        onSuccess: () => {
          notify('resources.orders.payments.created', { type: 'info' });
          setAmount('');
          refresh();
        },
        onError: (error: unknown) => notify((error as Error).message, { type: 'error' }),
      },
    );
  };
  return (
    <Box component="form" onSubmit={submit} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mt: 2 }}>
      <TextField
        size="small"
        label={translate('resources.payments.fields.amount')}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        required
        slotProps={{ htmlInput: { inputMode: 'decimal', pattern: '\\d+(\\.\\d{1,2})?' } }}
        sx={{ width: 140 }}
      />
      <TextField
        size="small"
        type="date"
        label={translate('resources.payments.fields.dueDate')}
        value={dueDate}
        onChange={(e) => setDueDate(e.target.value)}
        required
        slotProps={{ inputLabel: { shrink: true } }}
        sx={{ width: 180 }}
      />
      <TextField
        size="small"
        select
        label={translate('resources.orders.fields.amountPaid')}
        value={paid ? 'yes' : 'no'}
        onChange={(e) => setPaid(e.target.value === 'yes')}
        slotProps={{ select: { native: true } }}
        sx={{ width: 100 }}
      >
        <option value="yes">{translate('ra.boolean.true')}</option>
        <option value="no">{translate('ra.boolean.false')}</option>
      </TextField>
      <Button type="submit" variant="outlined" startIcon={<Add />} disabled={isPending || !amount}>
        {translate('resources.orders.payments.add')}
      </Button>
    </Box>
  );
}

function OrderDetails() {
  const { record: order, isPending, error, refetch } = useShowContext<AdminOrderFragment>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  // A list row can stand in for the order while it loads; it has no lines or payments.
  if (isPending || !order?.lines) return <LoadingState />;
  const money = (amount: string) => formatMoney(amount, order.currency, locale);
  const f = (name: string) => translate(`resources.orders.fields.${name}`);
  return (
    <CardContent>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1">
          {order.number}
        </Typography>
        <Typography variant="body1">
          <EnumText type="OrderStatus" value={order.status} />
        </Typography>
        <Link to={`/customers/${order.customer.id}/show`}>{order.customer.legalName}</Link>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {f('orderedAt')}: <DateTimeText value={order.orderedAt} /> · {f('currency')}: {order.currency}
        {order.contractRef ? ` · ${f('contractRef')}: ${order.contractRef}` : ''}
        {order.winProbability !== null && order.winProbability !== undefined ? ` · ${f('winProbability')}: ${order.winProbability}` : ''}
      </Typography>
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 8 }}>
          <TableContainer>
            <OrderLinesTable lines={order.lines} currency={order.currency} />
          </TableContainer>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <Card variant="outlined">
            <CardContent>
              <Totals order={order} />
            </CardContent>
          </Card>
        </Grid>
      </Grid>
      <Typography variant="h6" sx={{ mt: 3 }}>
        {f('payments')}
      </Typography>
      {order.payments.length ? (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell align="right">{translate('resources.payments.fields.amount')}</TableCell>
              <TableCell>{translate('resources.payments.fields.dueDate')}</TableCell>
              <TableCell>{translate('resources.payments.fields.paidAt')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {order.payments.map((payment) => (
              <TableRow key={payment.id}>
                <TableCell align="right">{money(payment.amount)}</TableCell>
                <TableCell>
                  <DateTimeText value={payment.dueDate} withTime={false} />
                </TableCell>
                <TableCell>
                  <DateTimeText value={payment.paidAt} />
                </TableCell>
                <TableCell>{payment.paidAt ? null : <MarkPaidButton payment={payment} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {translate('resources.orders.payments.none')}
        </Typography>
      )}
      {order.status !== 'CANCELLED' && order.status !== 'QUOTE' ? <AddPayment order={order} /> : null}
    </CardContent>
  );
}

export function OrderShow() {
  return (
    <Show
      actions={
        <TopToolbar>
          <EditButton />
        </TopToolbar>
      }
      emptyWhileLoading={false}
    >
      <OrderDetails />
    </Show>
  );
}

export default OrderShow;
