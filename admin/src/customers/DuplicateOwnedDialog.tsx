import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import type { AdminCustomerRowFragment } from '../../../schema/generated/graphql';
import { regionName } from '../common/format';
import { LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { RequestTransferButton } from '../transfers/RequestTransfer';

/** What a DUPLICATE_OWNED error names: the existing account's territory and owner, nothing more. */
export interface DuplicateOwned {
  legalName: string;
  territory: { id: string; name: string };
  owner: { id: string; name: string };
}

const LEGAL_SUFFIX =
  /[\s,.，]*(co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp(oration)?\.?|llc|gmbh|股份有限公司|有限责任公司|有限公司|公司)[\s.]*$/i;

/** "Acme Trading Co., Ltd." → "Acme Trading": the part a directory search can match on. */
export function coreName(name: string): string {
  let core = name.trim();
  for (let previous = ''; previous !== core;) {
    previous = core;
    core = core.replace(LEGAL_SUFFIX, '').trim();
  }
  return core || name.trim();
}

/**
 * The account being created already exists under another owner. The error names only its
 * territory and owner, so the matching directory cards are looked up (the name, the name without
 * its legal form, then that owner's cards in that territory) and each offers "Request transfer".
 */
export function DuplicateOwnedDialog({ duplicate, onClose }: { duplicate: DuplicateOwned; onClose: () => void }) {
  const translate = useTranslate();
  const redirect = useRedirect();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const scope = { directory: true, territoryId: duplicate.territory.id, ownerId: duplicate.owner.id };
  const candidates = useQuery({
    queryKey: ['customers', 'duplicate', duplicate],
    queryFn: async ({ signal }) => {
      // The name as typed, then without its legal form; else every card of that owner there.
      for (const q of [...new Set([duplicate.legalName, coreName(duplicate.legalName)])]) {
        if (!q) continue;
        const named = await dataProvider.getList<AdminCustomerRowFragment & { id: string }>('customers', {
          filter: { ...scope, q },
          pagination: { page: 1, perPage: 5 },
          sort: { field: 'legalName', order: 'ASC' },
          signal,
        });
        if (named.data.length) return named.data;
      }
      return (
        await dataProvider.getList<AdminCustomerRowFragment & { id: string }>('customers', {
          filter: scope,
          pagination: { page: 1, perPage: 10 },
          sort: { field: 'legalName', order: 'ASC' },
          signal,
        })
      ).data;
    },
  });
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="duplicate-owned-title">
      <DialogTitle id="duplicate-owned-title">{translate('resources.customers.duplicate.title')}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('resources.customers.duplicate.message', { territory: duplicate.territory.name, owner: duplicate.owner.name })}
        </Alert>
        {candidates.isPending ? (
          <LoadingState />
        ) : candidates.data?.length ? (
          <>
            <Typography variant="subtitle2">{translate('resources.customers.duplicate.candidates')}</Typography>
            <List dense>
              {candidates.data.map((customer) => (
                <ListItem
                  key={customer.id}
                  sx={{ pr: 24 }}
                  secondaryAction={<RequestTransferButton customer={customer} onDone={() => redirect('list', 'transfers')} />}
                >
                  <ListItemText
                    primary={customer.legalName}
                    secondary={`${regionName(customer.territory, locale)} · ${customer.owner?.name ?? ''}`}
                  />
                </ListItem>
              ))}
            </List>
          </>
        ) : (
          <Typography variant="body2">{translate('resources.customers.duplicate.none', { owner: duplicate.owner.name })}</Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
