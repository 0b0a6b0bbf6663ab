import Delete from '@mui/icons-material/Delete';
import Key from '@mui/icons-material/Key';
import ListAlt from '@mui/icons-material/ListAlt';
import PauseCircle from '@mui/icons-material/PauseCircle';
import PlayCircle from '@mui/icons-material/PlayCircle';
import Button from '@mui/material/Button';
import { useState, type MouseEvent } from 'react';
import { Link, useCreatePath, useDataProvider, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import {
  AdminDeleteWebhookDocument,
  AdminRotateWebhookSecretDocument,
  AdminUpdateWebhookDocument,
  type AdminWebhookFragment,
} from '../../../schema/generated/graphql';
import { ActionButton } from '../common/rowActions';
import { SecretOnceDialog } from '../common/SecretOnceDialog';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const AFFECTS = { affects: ['webhooks', 'auditEvents'] };

/** A webhook's signing secret, once (created or rotated). */
export function WebhookSecretDialog({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  return <SecretOnceDialog id="webhook-secret" messages="resources.webhooks.secret" titleArgs={{ url }} secret={secret} onDone={onDone} />;
}

/** Disable or enable through updateWebhook (with the version read): re-enabling resumes where delivery stopped. */
export function ToggleWebhookButton({ variant }: { variant?: 'text' | 'outlined' }) {
  const record = useRecordContext<AdminWebhookFragment>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!record) return null;
  const enable = !record.enabled;
  return (
    <ActionButton
      label={enable ? 'resources.webhooks.actions.enable' : 'resources.webhooks.actions.disable'}
      icon={enable ? <PlayCircle /> : <PauseCircle />}
      color={enable ? 'success' : 'primary'}
      variant={variant}
      mutate={() =>
        dataProvider.execute(AdminUpdateWebhookDocument, { id: record.id, input: { version: record.version, enabled: enable } }, AFFECTS)
      }
      success={enable ? 'resources.webhooks.notifications.enabled' : 'resources.webhooks.notifications.disabled'}
    />
  );
}

/** A new signing secret after a confirmation, shown once; the previous one keeps signing for the overlap. */
export function RotateSecretButton({ variant }: { variant?: 'text' | 'outlined' }) {
  const record = useRecordContext<AdminWebhookFragment>();
  const translate = useTranslate();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [secret, setSecret] = useState<string | null>(null);
  if (!record) return null;
  return (
    <>
      <ActionButton
        label="resources.webhooks.actions.rotate"
        icon={<Key />}
        variant={variant}
        confirm={{ title: translate('resources.webhooks.rotate.title', { url: record.url }), content: 'resources.webhooks.rotate.message' }}
        mutate={() => dataProvider.execute(AdminRotateWebhookSecretDocument, { id: record.id }, AFFECTS)}
        onDone={(data) => setSecret(data.rotateWebhookSecret.secret)}
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
    </>
  );
}

export function DeleteWebhookButton({ variant, onDeleted }: { variant?: 'text' | 'outlined'; onDeleted?: () => void }) {
  const record = useRecordContext<AdminWebhookFragment>();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!record) return null;
  return (
    <ActionButton
      label="resources.webhooks.actions.delete"
      icon={<Delete />}
      color="error"
      variant={variant}
      confirm={{ title: translate('resources.webhooks.delete.title', { url: record.url }), content: 'resources.webhooks.delete.message' }}
      mutate={() => dataProvider.execute(AdminDeleteWebhookDocument, { id: record.id }, AFFECTS)}
      success="resources.webhooks.notifications.deleted"
      onDone={onDeleted}
    />
  );
}

/** To the webhook's page: its state, the chart of recent attempts and the delivery log. */
export function DeliveryLogButton() {
  const record = useRecordContext<AdminWebhookFragment>();
  const translate = useTranslate();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <Button
      size="small"
      component={Link}
      to={createPath({ resource: 'webhooks', id: record.id, type: 'show' })}
      startIcon={<ListAlt />}
      sx={{ whiteSpace: 'nowrap' }}
      onClick={(event: MouseEvent) => event.stopPropagation()}
    >
      {translate('resources.webhooks.actions.log')}
    </Button>
  );
}
