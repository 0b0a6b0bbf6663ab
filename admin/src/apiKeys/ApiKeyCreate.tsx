import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import {
  AutocompleteArrayInput,
  Create,
  DateTimeInput,
  FormDataConsumer,
  RadioButtonGroupInput,
  SimpleForm,
  TextInput,
  required,
  useDataProvider,
  useInput,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import {
  AdminCreateApiKeyDocument,
  type ApiKeyKind,
  type CreateApiKeyInput,
  type RegionKind,
  type Scope,
} from '../../../schema/generated/graphql';
import { API_KEY_KINDS, READ_SCOPES, SCOPES, enumChoices } from '../common/enums';
import { SaveOnlyToolbar } from '../common/SaveOnlyToolbar';
import { SecretOnceDialog } from '../common/SecretOnceDialog';
import { useRegionChoices } from '../common/useRegions';
import { toIso } from '../audit/auditResource';
import { GraphQLRequestError } from '../providers/graphqlClient';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const ALL_KINDS: readonly RegionKind[] = ['REGION', 'PROVINCE', 'TERRITORY'];

const validateScopes = [required()];

/** Scopes as checkboxes; BI keys are read-only, so switching to BI drops the write scopes ticked. */
function ScopesCheckboxes({ kind }: { kind: ApiKeyKind }) {
  const translate = useTranslate();
  const { field, fieldState, isRequired } = useInput<Scope[]>({ source: 'scopes', validate: validateScopes });
  const allowed = kind === 'BI' ? READ_SCOPES : SCOPES;
  const value: Scope[] = Array.isArray(field.value) ? field.value : [];
  const kept = value.filter((scope) => allowed.includes(scope));
  const { onChange } = field;
  useEffect(() => {
    if (kept.length !== value.length) onChange(kept);
  }, [kept, value.length, onChange]);
  const toggle = (scope: Scope, checked: boolean) => onChange(checked ? [...value, scope] : value.filter((s) => s !== scope));
  const error = fieldState.invalid ? fieldState.error?.message : undefined;
  return (
    <FormControl component="fieldset" error={Boolean(error)} required={isRequired} sx={{ mb: 2 }}>
      <FormLabel component="legend">{translate('resources.apiKeys.fields.scopes')}</FormLabel>
      <FormGroup row>
        {allowed.map((scope) => (
          <FormControlLabel
            key={scope}
            control={
              <Checkbox checked={value.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} name={`scope-${scope}`} />
            }
            label={translate(`enums.Scope.${scope}`)}
          />
        ))}
      </FormGroup>
      <FormHelperText>
        {error
          ? translate(error, { _: error })
          : translate(kind === 'BI' ? 'resources.apiKeys.help.biScopes' : 'resources.apiKeys.help.scopes')}
      </FormHelperText>
    </FormControl>
  );
}

function ScopesInput() {
  return <FormDataConsumer>{({ formData }) => <ScopesCheckboxes kind={formData.kind} />}</FormDataConsumer>;
}

function TerritoriesInput() {
  const { choices, isPending } = useRegionChoices(ALL_KINDS);
  return (
    <AutocompleteArrayInput
      source="territoryIds"
      choices={choices}
      isPending={isPending}
      translateChoice={false}
      validate={required()}
      helperText="resources.apiKeys.help.territories"
    />
  );
}

/** A new key's secret, once, with how to use it. */
export function SecretDialog({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const translate = useTranslate();
  return (
    <SecretOnceDialog id="api-key-secret" messages="resources.apiKeys.secret" titleArgs={{ name }} secret={secret} onDone={onDone}>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {translate('resources.apiKeys.secret.usage')}
      </Typography>
    </SecretOnceDialog>
  );
}

/** A new key: name, kind, scopes, territories, optional expiry; then the secret, once. */
export function ApiKeyCreate() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const submit = async (values: Record<string, any>) => {
    const input: CreateApiKeyInput = {
      name: String(values.name ?? '').trim(),
      kind: values.kind,
      scopes: values.scopes ?? [],
      territoryIds: values.territoryIds ?? [],
      expiresAt: toIso(values.expiresAt) ?? null,
    };
    try {
      // Sent directly, not through react-admin's create: the answer must not land in a cache.
      const { createApiKey } = await dataProvider.execute(AdminCreateApiKeyDocument, { input }, { affects: ['apiKeys', 'auditEvents'] });
      setCreated({ name: createApiKey.apiKey.name, secret: createApiKey.secret });
      return undefined;
    } catch (error) {
      if (error instanceof GraphQLRequestError && (error.body as { errors?: Record<string, string> })?.errors)
        return (error.body as { errors: Record<string, string> }).errors;
      const message = error instanceof Error ? error.message : 'ra.notification.http_error';
      notify(message, { type: 'error', messageArgs: { _: message } });
      return undefined;
    }
  };
  return (
    <>
      <Create>
        <SimpleForm
          onSubmit={submit}
          toolbar={<SaveOnlyToolbar />}
          defaultValues={{ kind: 'INTEGRATOR', scopes: ['CUSTOMERS_READ'], territoryIds: [] }}
        >
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, width: '100%' }}>
            <TextInput source="name" validate={required()} />
            <DateTimeInput source="expiresAt" helperText="resources.apiKeys.help.expiresAt" />
          </Box>
          <RadioButtonGroupInput
            source="kind"
            choices={enumChoices('ApiKeyKind', API_KEY_KINDS)}
            validate={required()}
            helperText="resources.apiKeys.help.kind"
          />
          <ScopesInput />
          <TerritoriesInput />
        </SimpleForm>
      </Create>
      {created ? (
        <SecretDialog
          name={created.name}
          secret={created.secret}
          onDone={() => {
            setCreated(null);
            redirect('list', 'apiKeys');
          }}
        />
      ) : null}
    </>
  );
}

export default ApiKeyCreate;
