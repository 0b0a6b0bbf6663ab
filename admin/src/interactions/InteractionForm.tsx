import ExpandMore from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  AutocompleteInput,
  DateInput,
  FormDataConsumer,
  DateTimeInput,
  ReferenceInput,
  SelectInput,
  SimpleForm,
  TextInput,
  maxLength,
  required,
  useTranslate,
} from 'react-admin';
import { CustomerInput } from '../common/CustomerInput';
import { CHANNELS, INTERACTION_KINDS, enumChoices } from '../common/enums';

function ContactOfCustomer() {
  return (
    <FormDataConsumer>
      {({ formData }) => (
        <ReferenceInput
          source="contactId"
          reference="contacts"
          filter={formData.customerId ? { customerId: formData.customerId } : {}}
          sort={{ field: 'name', order: 'ASC' }}
        >
          <AutocompleteInput
            optionText="name"
            filterToQuery={(q: string) => ({ q })}
            disabled={!formData.customerId}
            label="resources.interactions.fields.contact"
          />
        </ReferenceInput>
      )}
    </FormDataConsumer>
  );
}

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' }, width: '100%' } as const;

/** Logging a visit is quick: customer, kind, channel (field visit), summary, when (now). */
export function InteractionForm({ isEdit = false }: { isEdit?: boolean }) {
  const translate = useTranslate();
  return (
    <SimpleForm defaultValues={isEdit ? undefined : () => ({ kind: 'VISIT', channel: 'FIELD', occurredAt: new Date() })}>
      <CustomerInput disabled={isEdit} />
      <Box sx={grid}>
        <SelectInput source="kind" choices={enumChoices('InteractionKind', INTERACTION_KINDS)} validate={required()} />
        <SelectInput source="channel" choices={enumChoices('Channel', CHANNELS)} validate={required()} />
        <DateTimeInput source="occurredAt" validate={required()} />
      </Box>
      <TextInput source="summary" multiline minRows={3} validate={[required(), maxLength(2000)]} />
      <Accordion
        disableGutters
        variant="outlined"
        sx={{ width: '100%' }}
        defaultExpanded={isEdit}
        slotProps={{ transition: { unmountOnExit: true } }}
      >
        <AccordionSummary expandIcon={<ExpandMore />}>
          <Typography variant="body2">{translate('resources.interactions.more')}</Typography>
        </AccordionSummary>
        <AccordionDetails>
          <ContactOfCustomer />
          <TextInput source="outcome" />
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' } }}>
            <TextInput source="nextStep" />
            <DateInput source="followUpOn" />
          </Box>
        </AccordionDetails>
      </Accordion>
    </SimpleForm>
  );
}
