import { useMediaQuery, type Theme } from '@mui/material';
import Chip from '@mui/material/Chip';
import {
  CreateButton,
  DataTable,
  FilterButton,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectInput,
  SimpleList,
  TopToolbar,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AdminUserFragment } from '../../../schema/generated/graphql';
import { ROLES, enumChoices } from '../common/enums';
import { EnumField } from '../common/fields';
import { regionName } from '../common/format';
import { EmptyState } from '../common/states';

type Row = AdminUserFragment;

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={enumChoices('Role', ROLES)} alwaysOn />,
  <NullableBooleanInput key="active" source="active" />,
];

function Memberships() {
  const record = useRecordContext<Row>();
  const [locale] = useLocaleState();
  if (!record) return null;
  const regions = record.role === 'MANAGER' ? record.managedRegions : record.territories;
  return <>{regions.length ? regions.map((region) => regionName(region, locale)).join(', ') : '—'}</>;
}

function Active() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={record.active ? 'success' : 'default'}
      label={translate(record.active ? 'ra.boolean.true' : 'ra.boolean.false')}
    />
  );
}

function Empty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('ra.page.empty', { name: translate('resources.users.name', { smart_count: 2 }) })}
      action={<CreateButton variant="contained" />}
    />
  );
}

export function UserList() {
  const isSmall = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const translate = useTranslate();
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
          secondaryText={(r) => r.email}
          tertiaryText={(r) => translate(`enums.Role.${r.role}`)}
          linkType="edit"
        />
      ) : (
        <DataTable<Row> rowClick="edit" bulkActionButtons={false}>
          <DataTable.Col source="name" />
          <DataTable.Col source="email" />
          <DataTable.Col source="role" disableSort>
            <EnumField source="role" type="Role" />
          </DataTable.Col>
          <DataTable.Col source="territories" label="resources.users.fields.territories" disableSort>
            <Memberships />
          </DataTable.Col>
          <DataTable.Col source="active" disableSort>
            <Active />
          </DataTable.Col>
        </DataTable>
      )}
    </List>
  );
}

export default UserList;
