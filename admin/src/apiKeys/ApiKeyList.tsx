import Block from '@mui/icons-material/Block';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Confirm,
  CreateButton,
  DataTable,
  List,
  NullableBooleanInput,
  TopToolbar,
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { AdminRevokeApiKeyDocument, type AdminApiKeyFragment } from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { DateTimeField } from '../common/fields';
import { regionName } from '../common/format';
import { EmptyState } from '../common/states';
import { COMPACT_TABLE_QUERY } from '../layout/Layout';
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
  return <Chip size="small" color={state === 'active' ? 'success' : 'default'} label={translate(`resources.apiKeys.status.${state}`)} />;
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
  const notify = useNotify();
  const refresh = useRefresh();
  const onError = useSaveErrorHandler();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.execute(
        AdminRevokeApiKeyDocument,
        { id: record!.id, version: record!.version ?? 0 },
        { affects: ['apiKeys', 'auditEvents'] },
      ),
    onSuccess: () => {
      notify('resources.apiKeys.notifications.revoked', { type: 'info' });
      setOpen(false);
      refresh();
    },
    onError: (error) => {
      setOpen(false);
      onError(error);
    },
  });
  if (!record || record.revokedAt) return null;
  return (
    <>
      <Button size="small" color="error" startIcon={<Block />} onClick={() => setOpen(true)}>
        {translate('resources.apiKeys.actions.revoke')}
      </Button>
      <Confirm
        isOpen={open}
        loading={mutation.isPending}
        title={translate('resources.apiKeys.revoke.title', { name: record.name })}
        content={translate('resources.apiKeys.revoke.message')}
        confirm="resources.apiKeys.actions.revoke"
        confirmColor="warning"
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      />
    </>
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
  const narrow = useMediaQuery(COMPACT_TABLE_QUERY);
  const actions = (
    <DataTable.Col source="id" label="resources.apiKeys.fields.actions" disableSort>
      <RevokeButton />
    </DataTable.Col>
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
