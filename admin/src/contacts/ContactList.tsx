import { useMediaQuery, type Theme } from '@mui/material';
import { CreateButton, DataTable, FilterButton, List, SearchInput, SelectInput, SimpleList, TopToolbar, useTranslate } from 'react-admin';
import type { AdminContactFragment } from '../../../schema/generated/graphql';
import { CustomerInput } from '../common/CustomerInput';
import { DECISION_ROLES, enumChoices } from '../common/enums';
import { EnumField } from '../common/fields';
import { EmptyState } from '../common/states';

type Row = AdminContactFragment;

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="decisionRole" source="decisionRole" choices={enumChoices('DecisionRole', DECISION_ROLES)} />,
  <CustomerInput key="customerId" source="customerId" validate={false} />,
];

function Empty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('ra.page.empty', { name: translate('resources.contacts.name', { smart_count: 2 }) })}
      action={<CreateButton variant="contained" />}
    />
  );
}

export function ContactList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List<Row>
      filters={filters}
      sort={{ field: 'name', order: 'ASC' }}
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
          primaryText={(r) => r.name}
          secondaryText={(r) => r.customer.legalName}
          tertiaryText={(r) => r.mobile ?? r.email ?? ''}
          linkType="edit"
        />
      ) : (
        <DataTable<Row> rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="title" disableSort />
          <DataTable.Col source="customer.legalName" label="resources.contacts.fields.customer" disableSort />
          <DataTable.Col source="decisionRole" disableSort>
            <EnumField source="decisionRole" type="DecisionRole" />
          </DataTable.Col>
          <DataTable.Col source="mobile" disableSort />
          <DataTable.Col source="email" disableSort />
        </DataTable>
      )}
    </List>
  );
}

export default ContactList;
