import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { SelectInput, TextArrayInput, TextInput, maxLength, required, useTranslate } from 'react-admin';
import {
  CHANNELS,
  CREDIT_STANDINGS,
  INDUSTRY_STANDINGS,
  OWNERSHIP_TYPES,
  RELATIONSHIP_LEVELS,
  SIZE_BANDS,
  enumChoices,
} from '../common/enums';

const row = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' }, width: '100%' } as const;

function Heading({ label }: { label: string }) {
  const translate = useTranslate();
  return (
    <Typography variant="subtitle2" sx={{ mt: 1, mb: 1 }}>
      {translate(label)}
    </Typography>
  );
}

/** The profile inputs create and edit share (UpdateCustomerInput's fields). */
export function CustomerProfileInputs() {
  return (
    <Box sx={{ width: '100%' }}>
      <Heading label="resources.customers.sections.basic" />
      <Box sx={row}>
        <TextInput source="legalName" validate={[required(), maxLength(300)]} />
        <TextInput source="registrationId" validate={maxLength(40)} />
        <TextInput source="industry" validate={maxLength(100)} />
        <TextInput source="websiteDomain" validate={maxLength(253)} />
      </Box>
      <TextInput source="products" multiline minRows={2} validate={maxLength(2000)} />
      <Heading label="resources.customers.sections.classification" />
      <Box sx={row}>
        <SelectInput source="relationshipLevel" choices={enumChoices('RelationshipLevel', RELATIONSHIP_LEVELS)} />
        <SelectInput source="creditStanding" choices={enumChoices('CreditStanding', CREDIT_STANDINGS)} />
        <SelectInput source="industryStanding" choices={enumChoices('IndustryStanding', INDUSTRY_STANDINGS)} />
        <SelectInput source="sizeBand" choices={enumChoices('SizeBand', SIZE_BANDS)} />
        <SelectInput source="ownershipType" choices={enumChoices('OwnershipType', OWNERSHIP_TYPES)} />
        <SelectInput source="sourceChannel" choices={enumChoices('Channel', CHANNELS)} />
      </Box>
      <TextArrayInput source="tags" />
      <Heading label="resources.customers.sections.address" />
      <Box sx={row}>
        <TextInput source="address.line" label="resources.customers.fields.addressLine" />
        <TextInput source="address.city" label="resources.customers.fields.city" />
        <TextInput source="address.province" label="resources.customers.fields.province" />
        <TextInput source="address.postalCode" label="resources.customers.fields.postalCode" />
        <TextInput source="address.country" label="resources.customers.fields.country" />
      </Box>
      <TextInput source="notes" multiline minRows={3} />
    </Box>
  );
}
