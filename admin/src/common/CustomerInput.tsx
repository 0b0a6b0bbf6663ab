import { AutocompleteInput, ReferenceInput, required } from 'react-admin';

/** A customer picked by name (the API's search matches names, registration ids and contacts). */
export function CustomerInput({
  source = 'customerId',
  disabled = false,
  validate = true,
}: {
  source?: string;
  disabled?: boolean;
  validate?: boolean;
}) {
  return (
    <ReferenceInput source={source} reference="customers" sort={{ field: 'legalName', order: 'ASC' }}>
      <AutocompleteInput
        optionText="legalName"
        filterToQuery={(q: string) => ({ q })}
        validate={validate ? required() : undefined}
        disabled={disabled}
        label="resources.contacts.fields.customer"
      />
    </ReferenceInput>
  );
}
