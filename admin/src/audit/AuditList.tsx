import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import {
  DataTable,
  DateTimeInput,
  FilterButton,
  List,
  ReferenceInput,
  SelectInput,
  TextInput,
  TopToolbar,
  useListContext,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { AUDIT_ENTITY_TYPES, enumChoices } from '../common/enums';
import { DateTimeField } from '../common/fields';
import { PersonAutocompleteInput } from '../common/pickers';
import { EmptyState } from '../common/states';
import { useRegionTree } from '../common/useRegions';
import { AuditChanges } from './AuditChanges';
import { AuditSubject } from './AuditSubject';
import { actionKey, AUDIT_ACTION_CHOICES } from './labels';
import { AuditNamesProvider } from './names';

type Row = AdminAuditEventFragment;

// Static choices show at once; the list page stays one request.
const filters = [
  <SelectInput key="action" source="action" choices={AUDIT_ACTION_CHOICES} alwaysOn sx={{ minWidth: 200 }} />,
  <SelectInput
    key="entityType"
    source="entityType"
    choices={enumChoices('AuditEntityType', AUDIT_ENTITY_TYPES)}
    alwaysOn
    sx={{ minWidth: 160 }}
  />,
  <DateTimeInput key="from" source="from" alwaysOn />,
  <DateTimeInput key="to" source="to" alwaysOn />,
  // Choices that need a request load only when the filter is added.
  <ReferenceInput key="actorId" source="actorId" reference="users" sort={{ field: 'name', order: 'ASC' }}>
    <PersonAutocompleteInput label="resources.auditEvents.fields.actorId" sx={{ minWidth: 200 }} />
  </ReferenceInput>,
  <TextInput key="entityId" source="entityId" />,
];

function ActionCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  const denied = record.action === 'MUTATION_DENIED';
  return (
    <Chip
      size="small"
      color={denied ? 'error' : 'default'}
      variant={denied ? 'filled' : 'outlined'}
      label={translate(actionKey(record.action), { _: record.action })}
    />
  );
}

function ActorCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box>
      <Typography variant="body2">{record.actorName ?? '—'}</Typography>
      <Typography variant="caption" color="text.secondary">
        {translate(`enums.ActorKind.${record.actorKind}`, { _: record.actorKind })}
      </Typography>
    </Box>
  );
}

function SubjectCell() {
  const record = useRecordContext<Row>();
  return record ? <AuditSubject event={record} /> : null;
}

/** Territory paths as names ("East › Zhejiang › Hangzhou"), as recorded when the tree does not know one. */
function RegionPaths({ paths }: { paths: readonly string[] }) {
  const { tree } = useRegionTree();
  if (!paths.length) return <>—</>;
  const byPath = new Map(tree?.all.map((region) => [region.path, region]) ?? []);
  return (
    <>
      {paths
        .map((path) => {
          const region = byPath.get(path);
          return region ? tree!.label(region) : path;
        })
        .join(', ')}
    </>
  );
}

function Expanded() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 2, p: 1 }}>
      <Box>
        <Typography variant="caption" color="text.secondary">
          {translate('resources.auditEvents.fields.changes')}
        </Typography>
        <AuditChanges event={record} />
      </Box>
      <Box>
        <Typography variant="caption" color="text.secondary">
          {translate('resources.auditEvents.fields.regionPaths')}
        </Typography>
        <Typography variant="body2">
          <RegionPaths paths={record.regionPaths} />
        </Typography>
        {record.entityId ? (
          <>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }}>
              {translate('resources.auditEvents.fields.entityId')}
            </Typography>
            <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
              {record.entityId}
            </Typography>
          </>
        ) : null}
      </Box>
    </Box>
  );
}

function Empty() {
  const translate = useTranslate();
  return <EmptyState message={translate('resources.auditEvents.empty')} />;
}

/** The audit log (admins: everything; managers: events concerning their regions), newest first. */
export function AuditList() {
  return (
    <List<Row>
      filters={filters}
      perPage={25}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <AuditTable />
    </List>
  );
}

/** The page's rows, with the names of what they concern looked up once for the whole page. */
function AuditTable() {
  const { data } = useListContext<Row>();
  return (
    <AuditNamesProvider events={data}>
      <DataTable<Row> rowClick="expand" expand={<Expanded />} bulkActionButtons={false} empty={<Empty />} data-testid="audit-table">
        <DataTable.Col source="at" disableSort>
          <DateTimeField source="at" />
        </DataTable.Col>
        <DataTable.Col source="action" disableSort>
          <ActionCell />
        </DataTable.Col>
        <DataTable.Col source="actorName" label="resources.auditEvents.fields.actor" disableSort>
          <ActorCell />
        </DataTable.Col>
        <DataTable.Col source="entityType" label="resources.auditEvents.fields.subject" disableSort>
          <SubjectCell />
        </DataTable.Col>
        <DataTable.Col source="reason" disableSort render={(record: Row) => record.reason ?? '—'} sx={{ maxWidth: 320 }} />
      </DataTable>
    </AuditNamesProvider>
  );
}

export default AuditList;
