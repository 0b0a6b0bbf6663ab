import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/format';

export interface OrderLineRow {
  id: string;
  position: number;
  product: string;
  quantity: string | number;
  unitPrice: string;
  discountPercent: string | number;
  amount: string;
}

const COLUMNS = ['position', 'product', 'quantity', 'unitPrice', 'discountPercent', 'amount'] as const;
const LEFT = new Set<string>(['position', 'product']);

/** An order's lines, read-only: the order page and the customer-360's orders tab show the same table. */
export function OrderLinesTable({ lines, currency }: { lines: readonly OrderLineRow[]; currency: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const f = (name: string) => translate(`resources.orders.fields.${name}`);
  const money = (amount: string) => formatMoney(amount, currency, locale);
  return (
    <Table size="small" aria-label={f('lines')}>
      <TableHead>
        <TableRow>
          {COLUMNS.map((name) => (
            <TableCell key={name} align={LEFT.has(name) ? 'left' : 'right'}>
              {f(name)}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map((line) => (
          <TableRow key={line.id}>
            <TableCell>{line.position}</TableCell>
            <TableCell>{line.product}</TableCell>
            <TableCell align="right">{line.quantity}</TableCell>
            <TableCell align="right">{money(line.unitPrice)}</TableCell>
            <TableCell align="right">{line.discountPercent}</TableCell>
            <TableCell align="right">{money(line.amount)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
