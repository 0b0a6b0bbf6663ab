import { useMediaQuery, type Theme } from '@mui/material';
import {
  CreateButton,
  DataTable,
  FilterButton,
  List,
  SearchInput,
  SelectArrayInput,
  SimpleList,
  TopToolbar,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AdminOrderRowFragment } from '../../../schema/generated/graphql';
import { CustomerInput } from '../common/CustomerInput';
import { ORDER_STATUSES, enumChoices } from '../common/enums';
import { DateTimeField, EnumField, MoneyField } from '../common/fields';
import { formatMoney } from '../common/format';
import { EmptyState } from '../common/states';
import { balanceDue } from './orderTotals';

type Row = AdminOrderRowFragment;

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectArrayInput
    key="status"
    source="status"
    label="resources.orders.fields.statuses"
    choices={enumChoices('OrderStatus', ORDER_STATUSES)}
    alwaysOn
    sx={{ minWidth: 180 }}
  />,
  <CustomerInput key="customerId" source="customerId" validate={false} />,
];

function Empty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('ra.page.empty', { name: translate('resources.orders.name', { smart_count: 2 }) })}
      action={<CreateButton variant="contained" />}
    />
  );
}

function BalanceField() {
  const record = useRecordContext<AdminOrderRowFragment>();
  const [locale] = useLocaleState();
  return <>{record ? formatMoney(balanceDue(record), record.currency, locale) : null}</>;
}

export function OrderList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (
    <List<Row>
      filters={filters}
      sort={{ field: 'orderedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      empty={<Empty />}
      actions={
        <TopToolbar>
          <FilterButton />
          <CreateButton />
        </TopToolbar>
      }
    >
      {isSmall ? (
        <SimpleList<Row>
          primaryText={(r) => `${r.number} · ${formatMoney(r.total, r.currency, locale)}`}
          secondaryText={(r) => r.customer.legalName}
          tertiaryText={(r) => translate(`enums.OrderStatus.${r.status}`)}
          linkType="show"
        />
      ) : (
        <DataTable<Row> rowClick="show" bulkActionButtons={false}>
          <DataTable.Col source="number" />
          <DataTable.Col source="orderedAt">
            <DateTimeField source="orderedAt" withTime={false} />
          </DataTable.Col>
          <DataTable.Col source="customer.legalName" label="resources.orders.fields.customer" disableSort />
          <DataTable.Col source="status" disableSort>
            <EnumField source="status" type="OrderStatus" />
          </DataTable.Col>
          <DataTable.Col source="total" align="right">
            <MoneyField source="total" />
          </DataTable.Col>
          <DataTable.Col source="balance" align="right" disableSort>
            <BalanceField />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

export default OrderList;
