import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import {
  DataTable,
  DateTimeInput,
  FilterButton,
  Link,
  List,
  ReferenceInput,
  SelectInput,
  TextInput,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { AUDIT_ENTITY_TYPES, enumChoices } from '../common/enums';
import { DateTimeField } from '../common/fields';
import { PersonAutocompleteInput } from '../common/pickers';
import { EmptyState } from '../common/states';
import { AuditChanges } from './AuditChanges';
import { actionKey, AUDIT_ACTION_CHOICES } from './labels';

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

function EntityCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record?.entityType) return <>—</>;
  const label = translate(`enums.AuditEntityType.${record.entityType}`, { _: record.entityType });
  const short = record.entityId ? `${record.entityId.slice(0, 8)}…` : '';
  return (
    <Box>
      <Typography variant="body2">{label}</Typography>
      {record.entityId ? (
        <Typography variant="caption" sx={{ fontFamily: 'monospace' }} title={record.entityId}>
          {record.entityType === 'Customer' ? (
            <Link to={`/customers/${record.entityId}/show`} onClick={(event: { stopPropagation(): void }) => event.stopPropagation()}>
              {short}
            </Link>
          ) : (
            short
          )}
        </Typography>
      ) : null}
    </Box>
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
        <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
          {record.regionPaths.join(', ') || '—'}
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
        <DataTable.Col source="entityType" disableSort>
          <EntityCell />
        </DataTable.Col>
        <DataTable.Col source="reason" disableSort render={(record: Row) => record.reason ?? '—'} sx={{ maxWidth: 320 }} />
      </DataTable>
    </List>
  );
}

export default AuditList;
