import Box from '@mui/material/Box';
import { AutocompleteInput, Create, ReferenceInput, SelectInput, SimpleForm, required, usePermissions } from 'react-admin';
import { LIFECYCLE_STAGES, enumChoices } from '../common/enums';
import { RegionInput, TERRITORY_KINDS } from '../common/RegionInput';
import { CustomerProfileInputs } from './CustomerInputs';

export function CustomerCreate() {
  const { permissions } = usePermissions<string>();
  return (
    <Create redirect="show">
      <SimpleForm defaultValues={{ lifecycleStage: 'POTENTIAL', creditStanding: 'UNKNOWN', relationshipLevel: 'BASIC', tags: [] }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' }, width: '100%' }}>
          <RegionInput source="territoryId" kinds={TERRITORY_KINDS} validate={required()} />
          {/* Reps create customers for themselves; the API defaults the owner to the signed-in rep. */}
          {permissions === 'REP' ? null : (
            <ReferenceInput source="ownerId" reference="users" filter={{ role: 'REP', active: true }} sort={{ field: 'name', order: 'ASC' }}>
              <AutocompleteInput optionText="name" filterToQuery={(q: string) => ({ q })} validate={required()} />
            </ReferenceInput>
          )}
          <SelectInput source="lifecycleStage" choices={enumChoices('LifecycleStage', LIFECYCLE_STAGES)} validate={required()} />
        </Box>
        <CustomerProfileInputs />
      </SimpleForm>
    </Create>
  );
}

export default CustomerCreate;
