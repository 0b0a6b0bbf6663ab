import Block from '@mui/icons-material/Block';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import {
  CreateButton,
  DataTable,
  List,
  NullableBooleanInput,
  TopToolbar,
  useDataProvider,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { AdminRevokeApiKeyDocument, type AdminApiKeyFragment } from '../../../schema/generated/graphql';
import { DateTimeField } from '../common/fields';
import { regionName } from '../common/format';
import { ActionButton, ActionsColumn, StatusChip, useCompactTable } from '../common/rowActions';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

type Row = AdminApiKeyFragment;

const filters = [<NullableBooleanInput key="active" source="active" alwaysOn />];

export type KeyState = 'active' | 'revoked' | 'expired';

export function keyState(key: Pick<Row, 'revokedAt' | 'expiresAt'>, now = Date.now()): KeyState {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

function StateCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  const state = keyState(record);
  return <StatusChip tone={state === 'active' ? 'success' : 'default'} label={translate(`resources.apiKeys.status.${state}`)} />;
}

function ScopesCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 360 }}>
      {record.scopes.map((scope) => (
        <Chip key={scope} size="small" variant="outlined" label={translate(`enums.Scope.${scope}`)} />
      ))}
    </Box>
  );
}

function TerritoriesCell() {
  const record = useRecordContext<Row>();
  const [locale] = useLocaleState();
  if (!record) return null;
  return <>{record.territories.map((region) => regionName(region, locale)).join(', ') || '—'}</>;
}

function PrefixCell() {
  const record = useRecordContext<Row>();
  if (!record) return null;
  return (
    <Typography variant="body2" component="code" sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
      acc_{record.prefix}_…
    </Typography>
  );
}

function RevokeButton() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!record || record.revokedAt) return null;
  return (
    <ActionButton
      label="resources.apiKeys.actions.revoke"
      color="error"
      icon={<Block />}
      confirm={{ title: translate('resources.apiKeys.revoke.title', { name: record.name }), content: 'resources.apiKeys.revoke.message' }}
      mutate={() =>
        dataProvider.execute(
          AdminRevokeApiKeyDocument,
          { id: record.id, version: record.version ?? 0 },
          { affects: ['apiKeys', 'auditEvents'] },
        )
      }
      success="resources.apiKeys.notifications.revoked"
    />
  );
}

function Empty() {
  const translate = useTranslate();
  return <EmptyState message={translate('resources.apiKeys.empty')} action={<CreateButton variant="contained" />} />;
}

/**
 * On a tablet the table drops kind, expiry and creator, and Revoke comes right after the name,
 * so it is on screen without scrolling the table.
 */
function ApiKeyTable() {
  const narrow = useCompactTable();
  const actions = (
    <ActionsColumn label="resources.apiKeys.fields.actions">
      <RevokeButton />
    </ActionsColumn>
  );
  return (
    <DataTable<Row> rowClick={false} bulkActionButtons={false} data-testid="api-key-table">
      <DataTable.Col source="name" disableSort />
      {narrow ? actions : null}
      <DataTable.Col source="prefix" disableSort>
        <PrefixCell />
      </DataTable.Col>
      {narrow ? null : <DataTable.Col source="kind" disableSort render={(record: Row) => <KindText kind={record.kind} />} />}
      <DataTable.Col source="scopes" disableSort>
        <ScopesCell />
      </DataTable.Col>
      <DataTable.Col source="territories" disableSort>
        <TerritoriesCell />
      </DataTable.Col>
      <DataTable.Col source="active" label="resources.apiKeys.fields.status" disableSort>
        <StateCell />
      </DataTable.Col>
      {narrow ? null : (
        <DataTable.Col source="expiresAt" disableSort>
          <DateTimeField source="expiresAt" />
        </DataTable.Col>
      )}
      <DataTable.Col source="lastUsedAt" disableSort>
        <DateTimeField source="lastUsedAt" />
      </DataTable.Col>
      {narrow ? null : <DataTable.Col source="createdBy.name" label="resources.apiKeys.fields.createdBy" disableSort />}
      {narrow ? null : actions}
    </DataTable>
  );
}

/** API keys for integrators and BI tools (admins): what each may reach, when it was last used. */
export function ApiKeyList() {
  return (
    <List<Row>
      filters={filters}
      perPage={25}
      exporter={false}
      empty={<Empty />}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <ApiKeyTable />
    </List>
  );
}

function KindText({ kind }: { kind: Row['kind'] }) {
  const translate = useTranslate();
  return <>{translate(`enums.ApiKeyKind.${kind}`)}</>;
}

export default ApiKeyList;
