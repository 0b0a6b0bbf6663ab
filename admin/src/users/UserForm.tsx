import Box from '@mui/material/Box';
import {
  AutocompleteArrayInput,
  BooleanInput,
  FormDataConsumer,
  PasswordInput,
  SelectInput,
  SimpleForm,
  TextInput,
  email,
  minLength,
  required,
} from 'react-admin';
import { ROLES, enumChoices } from '../common/enums';
import { SaveOnlyToolbar } from '../common/SaveOnlyToolbar';
import { AREA_KINDS, TERRITORY_KINDS } from '../common/RegionInput';
import { useRegionChoices } from '../common/useRegions';

function RegionsInput({ source, kinds, helperText }: { source: string; kinds: typeof AREA_KINDS; helperText: string }) {
  const { choices, isPending } = useRegionChoices(kinds);
  return <AutocompleteArrayInput source={source} choices={choices} isPending={isPending} translateChoice={false} helperText={helperText} />;
}

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, width: '100%' } as const;

export function UserForm({ isEdit = false }: { isEdit?: boolean }) {
  return (
    <SimpleForm toolbar={<SaveOnlyToolbar />} defaultValues={isEdit ? undefined : { role: 'REP', territoryIds: [], managedRegionIds: [] }}>
      <Box sx={grid}>
        <TextInput source="name" validate={required()} />
        <TextInput source="email" validate={[required(), email()]} disabled={isEdit} type="email" />
        <SelectInput source="role" choices={enumChoices('Role', ROLES)} validate={required()} />
        {isEdit ? (
          <PasswordInput
            source="newPassword"
            validate={minLength(8)}
            helperText="resources.users.help.password"
            autoComplete="new-password"
          />
        ) : (
          <PasswordInput source="password" validate={[required(), minLength(8)]} autoComplete="new-password" />
        )}
      </Box>
      <FormDataConsumer>
        {({ formData }) =>
          formData.role === 'MANAGER' ? (
            <RegionsInput source="managedRegionIds" kinds={AREA_KINDS} helperText="resources.users.help.managedRegions" />
          ) : formData.role === 'REP' ? (
            <RegionsInput source="territoryIds" kinds={TERRITORY_KINDS} helperText="resources.users.help.territories" />
          ) : null
        }
      </FormDataConsumer>
      {isEdit ? <BooleanInput source="active" helperText="resources.users.help.deactivate" /> : null}
    </SimpleForm>
  );
}
