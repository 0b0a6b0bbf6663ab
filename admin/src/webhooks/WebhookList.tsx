import Chip from '@mui/material/Chip';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Confirm,
  CreateButton,
  DataTable,
  List,
  TopToolbar,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import {
  AdminDeleteWebhookDocument,
  AdminRotateWebhookSecretDocument,
  AdminUpdateWebhookDocument,
  type AdminWebhookFragment,
} from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { DateTimeField } from '../common/fields';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { WebhookSecretDialog } from './WebhookCreate';

type Row = AdminWebhookFragment;
const AFFECTS = { affects: ['webhooks', 'auditEvents'] };

function StatusCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.enabled)
    return (
      <Chip
        size="small"
        label={translate(`resources.webhooks.status.${record.disabledReason ?? 'disabled'}`, {
          _: translate('resources.webhooks.status.disabled'),
        })}
      />
    );
  if (record.failingSince)
    return (
      <Chip
        size="small"
        color="warning"
        label={translate('resources.webhooks.status.failing', { since: new Date(record.failingSince).toLocaleString() })}
      />
    );
  return <Chip size="small" color="success" label={translate('resources.webhooks.status.enabled')} />;
}

function UrlCell() {
  const record = useRecordContext<Row>();
  if (!record) return null;
  return (
    <Typography variant="body2" component="code" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
      {record.url}
    </Typography>
  );
}

function TypesCell() {
  const record = useRecordContext<Row>();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 320 }}>
      {record.eventTypes.map((type) => (
        <Chip key={type} size="small" variant="outlined" label={type} />
      ))}
      {record.fieldFilter.length ? <Typography variant="caption">({record.fieldFilter.join(', ')})</Typography> : null}
    </Box>
  );
}

/** Enable or disable, rotate the secret (shown once), delete. */
function Actions() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const onError = useSaveErrorHandler();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [confirm, setConfirm] = useState<'delete' | 'rotate' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: () =>
      dataProvider.execute(
        AdminUpdateWebhookDocument,
        { id: record!.id, input: { version: record!.version, enabled: !record!.enabled } },
        AFFECTS,
      ),
    onSuccess: () => {
      notify('resources.webhooks.notifications.updated', { type: 'info' });
      refresh();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => dataProvider.execute(AdminDeleteWebhookDocument, { id: record!.id }, AFFECTS),
    onSuccess: () => {
      setConfirm(null);
      notify('resources.webhooks.notifications.deleted', { type: 'info' });
      refresh();
    },
    onError: (error) => {
      setConfirm(null);
      onError(error);
    },
  });
  const rotate = useMutation({
    mutationFn: () => dataProvider.execute(AdminRotateWebhookSecretDocument, { id: record!.id }, AFFECTS),
    onSuccess: (data) => {
      setConfirm(null);
      setSecret(data.rotateWebhookSecret.secret);
    },
    onError: (error) => {
      setConfirm(null);
      onError(error);
    },
  });
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      <Button size="small" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
        {translate(record.enabled ? 'resources.webhooks.actions.disable' : 'resources.webhooks.actions.enable')}
      </Button>
      <Button size="small" onClick={() => setConfirm('rotate')}>
        {translate('resources.webhooks.actions.rotate')}
      </Button>
      <Button size="small" color="error" onClick={() => setConfirm('delete')}>
        {translate('resources.webhooks.actions.delete')}
      </Button>
      <Confirm
        isOpen={confirm !== null}
        loading={remove.isPending || rotate.isPending}
        title={translate(`resources.webhooks.${confirm ?? 'delete'}.title`, { url: record.url })}
        content={translate(`resources.webhooks.${confirm ?? 'delete'}.message`)}
        confirm={`resources.webhooks.actions.${confirm ?? 'delete'}`}
        confirmColor="warning"
        onConfirm={() => (confirm === 'rotate' ? rotate.mutate() : remove.mutate())}
        onClose={() => setConfirm(null)}
      />
      {secret ? (
        <WebhookSecretDialog
          url={record.url}
          secret={secret}
          onDone={() => {
            setSecret(null);
            refresh();
          }}
        />
      ) : null}
    </Box>
  );
}

function Empty() {
  const translate = useTranslate();
  return <EmptyState message={translate('resources.webhooks.empty')} action={<CreateButton variant="contained" />} />;
}

/** Every key's webhooks (admins): where each key's events go, and whether they arrive. */
export function WebhookList() {
  return (
    <List<Row>
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
      <DataTable<Row> rowClick={false} bulkActionButtons={false} data-testid="webhook-table">
        <DataTable.Col source="url" disableSort>
          <UrlCell />
        </DataTable.Col>
        <DataTable.Col source="apiKeyName" disableSort />
        <DataTable.Col source="eventTypes" disableSort>
          <TypesCell />
        </DataTable.Col>
        <DataTable.Col source="enabled" label="resources.webhooks.fields.status" disableSort>
          <StatusCell />
        </DataTable.Col>
        <DataTable.Col source="lastSuccessAt" disableSort>
          <DateTimeField source="lastSuccessAt" />
        </DataTable.Col>
        <DataTable.Col source="id" label="resources.webhooks.fields.actions" disableSort>
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export default WebhookList;
