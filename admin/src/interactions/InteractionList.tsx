import { useMediaQuery, type Theme } from '@mui/material';
import {
  CreateButton,
  DataTable,
  DateTimeInput,
  FilterButton,
  List,
  SelectArrayInput,
  SimpleList,
  TopToolbar,
  useLocaleState,
  useTranslate,
} from 'react-admin';
import type { AdminInteractionFragment } from '../../../schema/generated/graphql';
import { CustomerInput } from '../common/CustomerInput';
import { CHANNELS, INTERACTION_KINDS, enumChoices } from '../common/enums';
import { DateTimeField, EnumField } from '../common/fields';
import { formatDateTime } from '../common/format';
import { EmptyState } from '../common/states';

type Row = AdminInteractionFragment;

const filters = [
  <SelectArrayInput
    key="kind"
    source="kind"
    label="resources.interactions.fields.kinds"
    choices={enumChoices('InteractionKind', INTERACTION_KINDS)}
    alwaysOn
    sx={{ minWidth: 180 }}
  />,
  <SelectArrayInput
    key="channel"
    source="channel"
    label="resources.interactions.fields.channels"
    choices={enumChoices('Channel', CHANNELS)}
    sx={{ minWidth: 180 }}
  />,
  <CustomerInput key="customerId" source="customerId" validate={false} />,
  <DateTimeInput key="occurredAfter" source="occurredAfter" />,
  <DateTimeInput key="occurredBefore" source="occurredBefore" />,
];

function Empty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('ra.page.empty', { name: translate('resources.interactions.name', { smart_count: 2 }) })}
      action={<CreateButton variant="contained" label="resources.interactions.page.create" />}
    />
  );
}

export function InteractionList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (
    <List<Row>
      filters={filters}
      sort={{ field: 'occurredAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      empty={<Empty />}
      actions={
        <TopToolbar>
          <FilterButton />
          <CreateButton label="resources.interactions.page.create" />
        </TopToolbar>
      }
    >
      {isSmall ? (
        <SimpleList<Row>
          primaryText={(r) => r.summary}
          secondaryText={(r) => `${r.customer.legalName} · ${translate(`enums.InteractionKind.${r.kind}`)}`}
          tertiaryText={(r) => formatDateTime(r.occurredAt, locale)}
          linkType="edit"
        />
      ) : (
        <DataTable<Row> rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="occurredAt">
            <DateTimeField source="occurredAt" />
          </DataTable.Col>
          <DataTable.Col source="kind" disableSort>
            <EnumField source="kind" type="InteractionKind" />
          </DataTable.Col>
          <DataTable.Col source="channel" disableSort>
            <EnumField source="channel" type="Channel" />
          </DataTable.Col>
          <DataTable.Col source="customer.legalName" label="resources.interactions.fields.customer" disableSort />
          <DataTable.Col source="summary" disableSort />
          <DataTable.Col source="author.name" label="resources.interactions.fields.author" disableSort />
        </DataTable>
      )}
    </List>
  );
}

export default InteractionList;
