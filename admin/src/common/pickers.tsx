import Autocomplete from '@mui/material/Autocomplete';
import ListItemText from '@mui/material/ListItemText';
import TextField from '@mui/material/TextField';
import { useEffect, useMemo, useState } from 'react';
import { AutocompleteInput, useGetList, useLocaleState, useTranslate, type AutocompleteInputProps } from 'react-admin';
import type { RegionKind, Role } from '../../../schema/generated/graphql';
import { regionName } from './format';
import { useRegionChoices, type RegionFilter } from './useRegions';

interface Option {
  id: string;
  name: string;
}

export interface PersonRecord {
  name: string;
  email: string;
  role: Role;
  territories?: readonly { name: string; nameZh?: string | null }[];
  managedRegions?: readonly { name: string; nameZh?: string | null }[];
}

/**
 * What tells two people of the same name apart: e-mail, and the territories they work in (reps)
 * or the regions they manage. "rep.hz@test.local · Hangzhou, Ningbo".
 */
export function personDetail(person: PersonRecord, locale: string): string {
  const places = (person.role === 'MANAGER' ? person.managedRegions : person.territories) ?? [];
  return [person.email, places.map((place) => regionName(place, locale)).join(', ')].filter(Boolean).join(' · ');
}

/** "Hu Hangzhou (rep.hz@test.local · Hangzhou)": a person in a single line of text. */
export function personLabel(person: PersonRecord, locale: string): string {
  const detail = personDetail(person, locale);
  return detail ? `${person.name} (${detail})` : person.name;
}

/**
 * A user chosen by name outside a react-admin form (dialogs): the list loads 25 at a time as the
 * user types, only while the picker is shown.
 */
export function UserPicker({
  label,
  value,
  onChange,
  roles,
  helperText,
  required = false,
  name,
}: {
  label: string;
  value: Option | null;
  onChange: (value: Option | null) => void;
  roles?: readonly Role[];
  helperText?: string;
  required?: boolean;
  name?: string;
}) {
  const translate = useTranslate();
  const [input, setInput] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(input.trim()), 250);
    return () => clearTimeout(timer);
  }, [input]);
  const role = roles?.length === 1 ? roles[0] : undefined;
  const [locale] = useLocaleState();
  const { data, isPending } = useGetList<PersonRecord & { id: string }>('users', {
    filter: { q: search || undefined, active: true, role },
    pagination: { page: 1, perPage: 25 },
    sort: { field: 'name', order: 'ASC' },
  });
  const options = useMemo(
    () =>
      (data ?? [])
        .filter((user) => !roles || roles.includes(user.role))
        .map((user) => ({ id: String(user.id), name: user.name, detail: personDetail(user, locale) })),
    [data, roles, locale],
  );
  return (
    <Autocomplete
      options={options}
      value={value}
      loading={isPending}
      onChange={(_event, next) => onChange(next)}
      inputValue={input}
      onInputChange={(_event, next) => setInput(next)}
      getOptionLabel={(option) => option.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      filterOptions={(x) => x}
      renderOption={({ key, ...props }, option) => (
        <li key={key} {...props}>
          <ListItemText primary={option.name} secondary={'detail' in option ? String(option.detail) : undefined} sx={{ my: 0 }} />
        </li>
      )}
      noOptionsText={translate('ra.navigation.no_results')}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          helperText={helperText}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name } }}
        />
      )}
    />
  );
}

/** A node of the territory tree outside a react-admin form, labelled with its path; `within` narrows it to a subtree. */
export function RegionPicker({
  label,
  kinds,
  value,
  onChange,
  helperText,
  name,
  within = null,
  required,
}: {
  label: string;
  kinds: readonly RegionKind[];
  value: string | null;
  onChange: (value: string | null) => void;
  helperText?: string;
  name?: string;
  within?: RegionFilter;
  required?: boolean;
}) {
  const translate = useTranslate();
  const { choices, isPending } = useRegionChoices(kinds, { filter: within });
  const selected = choices.find((choice) => choice.id === value) ?? null;
  return (
    <Autocomplete
      options={choices}
      value={selected}
      loading={isPending}
      onChange={(_event, next) => onChange(next?.id ?? null)}
      getOptionLabel={(option) => option.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      noOptionsText={translate('ra.navigation.no_results')}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          helperText={helperText}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name } }}
        />
      )}
    />
  );
}

/** react-admin's autocomplete for a user reference, each person shown with what tells them apart. */
export function PersonAutocompleteInput(props: Omit<AutocompleteInputProps, 'optionText'>) {
  const [locale] = useLocaleState();
  return (
    <AutocompleteInput
      optionText={(person: PersonRecord) => personLabel(person, locale)}
      filterToQuery={(q: string) => ({ q })}
      {...props}
    />
  );
}
