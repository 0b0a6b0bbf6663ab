import Box from '@mui/material/Box';
import { ArrayInput, BooleanInput, SelectInput, SimpleForm, SimpleFormIterator, TextInput, email, maxLength, required } from 'react-admin';
import { CustomerInput } from '../common/CustomerInput';
import { CHANNELS, CONTACT_FREQUENCIES, DECISION_ROLES, enumChoices } from '../common/enums';

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, width: '100%' } as const;

export function ContactForm({ isEdit = false }: { isEdit?: boolean }) {
  return (
    <SimpleForm defaultValues={isEdit ? undefined : { consent: false, imHandles: [] }}>
      <CustomerInput disabled={isEdit} />
      <Box sx={grid}>
        <TextInput source="name" validate={[required(), maxLength(200)]} />
        <TextInput source="title" />
        <SelectInput source="decisionRole" choices={enumChoices('DecisionRole', DECISION_ROLES)} />
        <TextInput source="email" validate={email()} type="email" />
        <TextInput source="mobile" />
        <TextInput source="phone" />
        <SelectInput source="preferredChannel" choices={enumChoices('Channel', CHANNELS)} />
        <SelectInput source="preferredFrequency" choices={enumChoices('ContactFrequency', CONTACT_FREQUENCIES)} />
      </Box>
      <ArrayInput source="imHandles">
        <SimpleFormIterator inline disableReordering>
          <TextInput source="network" label="resources.contacts.fields.network" helperText={false} />
          <TextInput source="handle" label="resources.contacts.fields.handle" helperText={false} />
        </SimpleFormIterator>
      </ArrayInput>
      <BooleanInput source="consent" />
    </SimpleForm>
  );
}
