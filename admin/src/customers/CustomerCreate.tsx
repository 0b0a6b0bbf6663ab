import Box from '@mui/material/Box';
import { useEffect, useState } from 'react';
import { Create, ReferenceInput, SelectInput, SimpleForm, required, useNotify, usePermissions } from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import { LIFECYCLE_STAGES, enumChoices } from '../common/enums';
import { PersonAutocompleteInput } from '../common/pickers';
import { RegionInput, TERRITORY_KINDS } from '../common/RegionInput';
import { usePlaceableTerritories } from '../common/useRegions';
import { isDuplicateOwned } from '../providers/graphqlClient';
import { CustomerProfileInputs } from './CustomerInputs';
import { DuplicateOwnedDialog, type DuplicateOwned } from './DuplicateOwnedDialog';

/**
 * Territory and owner: only where the user may place an account (a rep's territories, preset
 * when there is one; a manager's regions), and owners who work in the chosen territory. Left
 * empty, the assignment rules place the account (docs/assignment.md): then the owner is the
 * rule's, or the one chosen here, or the creator.
 */
function PlacementInputs({ rep }: { rep: boolean }) {
  const { filter, only } = usePlaceableTerritories();
  const { setValue, getValues } = useFormContext();
  const territoryId = useWatch({ name: 'territoryId' }) as string | undefined;
  useEffect(() => {
    if (only && !getValues('territoryId')) setValue('territoryId', only, { shouldDirty: true });
  }, [only, getValues, setValue]);
  return (
    <>
      <RegionInput
        source="territoryId"
        kinds={TERRITORY_KINDS}
        within={filter}
        helperText={only ? false : 'resources.customers.placement.byRules'}
      />
      {/* Reps create customers for themselves; the API defaults the owner to the signed-in rep. */}
      {rep ? null : (
        <ReferenceInput
          source="ownerId"
          reference="users"
          filter={{ role: 'REP', active: true, ...(territoryId ? { territoryId } : {}) }}
          sort={{ field: 'name', order: 'ASC' }}
        >
          <PersonAutocompleteInput validate={territoryId ? required() : undefined} />
        </ReferenceInput>
      )}
    </>
  );
}

export function CustomerCreate() {
  const { permissions } = usePermissions<string>();
  const notify = useNotify();
  const [duplicate, setDuplicate] = useState<DuplicateOwned | null>(null);
  const onError = (error: unknown, variables: { data?: Record<string, unknown> } | undefined) => {
    // Someone else owns this customer: offer a transfer request instead of a second record.
    if (isDuplicateOwned(error)) {
      const { territory, owner } = error.extensions as { territory?: DuplicateOwned['territory']; owner?: DuplicateOwned['owner'] };
      if (territory && owner) {
        setDuplicate({ legalName: String(variables?.data?.legalName ?? '').trim(), territory, owner });
        return;
      }
    }
    const message = error instanceof Error ? error.message : 'ra.notification.http_error';
    notify(message, { type: 'error', messageArgs: { _: message } });
  };
  return (
    <>
      <Create redirect="show" mutationOptions={{ onError }}>
        <SimpleForm defaultValues={{ lifecycleStage: 'POTENTIAL', creditStanding: 'UNKNOWN', relationshipLevel: 'BASIC', tags: [] }}>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' }, width: '100%' }}>
            <PlacementInputs rep={permissions === 'REP'} />
            <SelectInput source="lifecycleStage" choices={enumChoices('LifecycleStage', LIFECYCLE_STAGES)} validate={required()} />
          </Box>
          <CustomerProfileInputs />
        </SimpleForm>
      </Create>
      {duplicate ? <DuplicateOwnedDialog duplicate={duplicate} onClose={() => setDuplicate(null)} /> : null}
    </>
  );
}

export default CustomerCreate;
