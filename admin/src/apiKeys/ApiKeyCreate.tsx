import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
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
import { useSecretCreate } from '../common/useSecretCreate';
import { useRegionChoices } from '../common/useRegions';
import { toIso } from '../audit/auditResource';
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
const INPUTS = ['name', 'kind', 'scopes', 'territoryIds', 'expiresAt'] as const;

export function ApiKeyCreate() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const redirect = useRedirect();
  const { submit, created, clear } = useSecretCreate({
    inputs: INPUTS,
    send: async (values) => {
      const input: CreateApiKeyInput = {
        name: String(values.name ?? '').trim(),
        kind: values.kind,
        scopes: values.scopes ?? [],
        territoryIds: values.territoryIds ?? [],
        expiresAt: toIso(values.expiresAt) ?? null,
      };
      const { createApiKey } = await dataProvider.execute(AdminCreateApiKeyDocument, { input }, { affects: ['apiKeys', 'auditEvents'] });
      return { name: createApiKey.apiKey.name, secret: createApiKey.secret };
    },
  });
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
            clear();
            redirect('list', 'apiKeys');
          }}
        />
      ) : null}
    </>
  );
}

export default ApiKeyCreate;
