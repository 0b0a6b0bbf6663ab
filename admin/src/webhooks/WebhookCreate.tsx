import {
  AutocompleteArrayInput,
  AutocompleteInput,
  Create,
  SimpleForm,
  TextInput,
  required,
  useDataProvider,
  useGetList,
  useRedirect,
} from 'react-admin';
import { AdminCreateWebhookDocument, type CreateWebhookInput } from '../../../schema/generated/graphql';
import { SaveOnlyToolbar } from '../common/SaveOnlyToolbar';
import { useSecretCreate } from '../common/useSecretCreate';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { WebhookSecretDialog } from './WebhookActions';

/** The change feed's event types (docs/changes.md). */
export const EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.owner_changed',
  'customer.stage_changed',
  'customer.archived',
  'customer.restored',
  'customer.deleted',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'interaction.created',
  'interaction.updated',
  'interaction.deleted',
  'order.created',
  'order.updated',
  'order.deleted',
  'transfer.requested',
  'transfer.approved',
  'transfer.rejected',
  'transfer.cancelled',
  'stage_change.requested',
  'stage_change.approved',
  'stage_change.rejected',
  'evaluation_cycle.published',
] as const;

const eventChoices = EVENT_TYPES.map((type) => ({ id: type, name: type }));

function ApiKeyInput() {
  const { data, isPending } = useGetList('apiKeys', { pagination: { page: 1, perPage: 100 }, filter: { active: true } });
  const choices = (data ?? []).map((key) => ({ id: key.id, name: String(key.name) }));
  return (
    <AutocompleteInput
      source="apiKeyId"
      choices={choices}
      isPending={isPending}
      translateChoice={false}
      validate={required()}
      helperText="resources.webhooks.help.apiKeyId"
    />
  );
}

/** Admins subscribe a key's integration to the change feed on its behalf; the secret is shown once. */
const INPUTS = ['apiKeyId', 'url', 'eventTypes', 'fieldFilter', 'description'] as const;

export function WebhookCreate() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const redirect = useRedirect();
  const { submit, created, clear } = useSecretCreate({
    inputs: INPUTS,
    errors: 'resources.webhooks.errors',
    send: async (values) => {
      const input: CreateWebhookInput = {
        apiKeyId: values.apiKeyId,
        url: String(values.url ?? '').trim(),
        eventTypes: values.eventTypes ?? [],
        fieldFilter: String(values.fieldFilter ?? '')
          .split(',')
          .map((field) => field.trim())
          .filter(Boolean),
        description: values.description ? String(values.description) : null,
      };
      const { createWebhook } = await dataProvider.execute(AdminCreateWebhookDocument, { input }, { affects: ['webhooks', 'auditEvents'] });
      return { url: createWebhook.webhook.url, secret: createWebhook.secret };
    },
  });
  return (
    <>
      <Create>
        <SimpleForm onSubmit={submit} toolbar={<SaveOnlyToolbar />} defaultValues={{ eventTypes: ['customer.updated'] }}>
          <ApiKeyInput />
          <TextInput source="url" validate={required()} fullWidth helperText="resources.webhooks.help.url" />
          <AutocompleteArrayInput
            source="eventTypes"
            choices={eventChoices}
            translateChoice={false}
            validate={required()}
            helperText="resources.webhooks.help.eventTypes"
          />
          <TextInput source="fieldFilter" fullWidth helperText="resources.webhooks.help.fieldFilter" />
          <TextInput source="description" fullWidth />
        </SimpleForm>
      </Create>
      {created ? (
        <WebhookSecretDialog
          url={created.url}
          secret={created.secret}
          onDone={() => {
            clear();
            redirect('list', 'webhooks');
          }}
        />
      ) : null}
    </>
  );
}

export default WebhookCreate;
