import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useLocaleState, useTranslate } from 'react-admin';
import { intlLocale, regionName } from '../common/format';
import { useRegionTree } from '../common/useRegions';
import { GraphQLRequestError } from '../providers/graphqlClient';

interface Named {
  id: string;
  name: string;
}

/** What a refused bulk reassignment says, in the console's terms: which case, and what is at fault. */
export interface Refusal {
  kind: 'outside' | 'targetOutside' | 'ownerElsewhere' | 'ownerElsewhereStaying' | 'missing';
  /** Accounts at fault, named or not. */
  count: number;
  customers: Named[];
  territories: Named[];
}

function named(value: unknown, nameKey: 'legalName' | 'name'): Named[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: Record<string, unknown>) =>
    typeof item?.id === 'string' && typeof item[nameKey] === 'string' ? [{ id: item.id, name: item[nameKey] as string }] : [],
  );
}

/**
 * The refusal `error` is, when it is one the dialog can explain: the API names the accounts and
 * territories at fault in the error's extensions (see reassignCustomers); an account it names by
 * id only (NOT_FOUND) takes its name from the selected rows, a target territory from the request.
 */
export function refusalOf(
  error: unknown,
  request: { toTerritoryId: string | null; legalNames: ReadonlyMap<string, string> },
): Refusal | null {
  if (!(error instanceof GraphQLRequestError)) return null;
  const { field, count, customers, territories, type, id } = error.extensions;
  const listed = { customers: named(customers, 'legalName'), territories: named(territories, 'name') };
  const total = typeof count === 'number' ? count : listed.customers.length;
  if (error.code === 'FORBIDDEN' && (field === 'customerIds' || field === 'fromOwnerId'))
    return { kind: 'outside', count: total, ...listed };
  if (error.code === 'FORBIDDEN' && field === 'toTerritoryId' && request.toTerritoryId)
    return { kind: 'targetOutside', count: 0, customers: [], territories: [{ id: request.toTerritoryId, name: '' }] };
  if (error.code === 'BAD_USER_INPUT' && field === 'toOwnerId' && listed.territories.length)
    return { kind: listed.customers.length ? 'ownerElsewhereStaying' : 'ownerElsewhere', count: total, ...listed };
  if (error.code === 'NOT_FOUND' && type === 'Customer') {
    const name = typeof id === 'string' ? request.legalNames.get(id) : undefined;
    return { kind: 'missing', count: 1, customers: typeof id === 'string' && name ? [{ id, name }] : [], territories: [] };
  }
  return null;
}

/** The refusal, worded for the user, with the accounts and territories at fault by name. */
export function ReassignRefusal({ refusal, owner }: { refusal: Refusal; owner: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { tree } = useRegionTree();
  const prefix = 'resources.customers.reassign.refused';
  // The tree names a territory in the console's language; the API's name stands in otherwise.
  const territories = refusal.territories.map((territory) => {
    const region = tree?.byId.get(territory.id);
    return region ? regionName(region, locale) : territory.name;
  });
  const list = new Intl.ListFormat(intlLocale(locale), { type: 'conjunction' }).format(territories);
  const message = (() => {
    switch (refusal.kind) {
      case 'outside':
        return translate(`${prefix}.outside`, { smart_count: refusal.count });
      case 'targetOutside':
        return translate(`${prefix}.targetOutside`, { territory: list });
      case 'ownerElsewhere':
      case 'ownerElsewhereStaying':
        return translate(`${prefix}.${refusal.kind}`, { owner, territories: list });
      case 'missing':
        return refusal.customers[0]
          ? translate(`${prefix}.missing`, { name: refusal.customers[0].name })
          : translate(`${prefix}.missingUnnamed`);
    }
  })();
  const more = refusal.count - refusal.customers.length;
  const showTerritories = refusal.kind === 'outside' && territories.length > 0;
  const showAccounts = refusal.kind === 'outside' || refusal.kind === 'ownerElsewhereStaying';
  return (
    <Alert severity="error" data-testid="reassign-refused">
      <AlertTitle>{translate(`${prefix}.title`)}</AlertTitle>
      <Typography variant="body2">{message}</Typography>
      {showAccounts && refusal.customers.length ? (
        <Box sx={{ mt: 1 }}>
          <Typography variant="subtitle2" component="div">
            {translate(`${prefix}.accounts`)}
          </Typography>
          <Box component="ul" aria-label={translate(`${prefix}.accounts`)} sx={{ m: 0, pl: 2.5 }}>
            {refusal.customers.map((customer) => (
              <li key={customer.id}>{customer.name}</li>
            ))}
          </Box>
          {more > 0 ? <Typography variant="body2">{translate(`${prefix}.more`, { smart_count: more })}</Typography> : null}
        </Box>
      ) : null}
      {showTerritories ? (
        <Box sx={{ mt: 1 }}>
          <Typography variant="subtitle2" component="div">
            {translate(`${prefix}.territories`)}
          </Typography>
          <Typography variant="body2">{list}</Typography>
        </Box>
      ) : null}
    </Alert>
  );
}
