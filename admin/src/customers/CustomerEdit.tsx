import Alert from '@mui/material/Alert';
import { SimpleForm, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { AdminCustomerProfileFragment } from '../../../schema/generated/graphql';
import { regionName } from '../common/format';
import { SaveOnlyToolbar } from '../common/SaveOnlyToolbar';
import { VersionedEdit } from '../common/VersionedEdit';
import { CustomerProfileInputs } from './CustomerInputs';

function Ownership() {
  const record = useRecordContext<AdminCustomerProfileFragment>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record) return null;
  // Territory and owner change only through an audited transfer, not in this form.
  return (
    <Alert severity="info" variant="outlined" sx={{ mb: 2, width: '100%', boxSizing: 'border-box' }}>
      {translate('resources.customers.fields.territory')}: {regionName(record.territory, locale)} ·{' '}
      {translate('resources.customers.fields.owner')}: {record.owner.name}
    </Alert>
  );
}

export function CustomerEdit() {
  return (
    <VersionedEdit>
      <SimpleForm toolbar={<SaveOnlyToolbar />}>
        <Ownership />
        <CustomerProfileInputs />
      </SimpleForm>
    </VersionedEdit>
  );
}

export default CustomerEdit;
