import SwapHoriz from '@mui/icons-material/SwapHoriz';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useCanAccess, useDataProvider, useGetIdentity, useNotify, usePermissions, useTranslate } from 'react-admin';
import {
  AdminRequestTransferDocument,
  AdminTransferOwnerDocument,
  type AdminTransferOwnerQuery,
  type Role,
} from '../../../schema/generated/graphql';
import { UserPicker } from '../common/pickers';
import { useRegionTree, type RegionRecord, type RegionTree } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';

/** The API's bounds on a transfer request's reason. */
export const REASON_MIN = 5;
export const REASON_MAX = 2000;

export interface TransferTarget {
  id: string;
  legalName: string;
  /** Where the account is now; a directory card always says. */
  territory?: { id: string } | null;
}

type Owner = NonNullable<AdminTransferOwnerQuery['user']>;

/** The territories `owner` may own accounts in: a rep's own, every territory below a manager's regions. */
export function territoriesOf(owner: Pick<Owner, 'role' | 'territories' | 'managedRegions'>, tree: RegionTree): RegionRecord[] {
  if (owner.role === 'REP') return owner.territories.flatMap((region) => tree.byId.get(region.id) ?? []);
  if (owner.role !== 'MANAGER') return [];
  return tree
    .ofKind('TERRITORY')
    .filter((territory) => owner.managedRegions.some((area) => territory.path === area.path || territory.path.startsWith(`${area.path}/`)));
}

/**
 * Why the account should move (5–2000 characters) → requestTransfer. Reps ask for themselves;
 * managers and admins may name the new owner. The account stays in its territory when the new
 * owner works there (as the API decides when no territory is sent); otherwise the dialog asks
 * which of the new owner's territories it moves to.
 */
export function RequestTransferDialog({
  customer,
  onClose,
  onDone,
}: {
  customer: TransferTarget;
  onClose: () => void;
  onDone?: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { permissions } = usePermissions<Role>();
  const { identity } = useGetIdentity();
  const onBehalf = permissions === 'ADMIN' || permissions === 'MANAGER';
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState<{ id: string; name: string } | null>(null);
  const [chosenTerritory, setChosenTerritory] = useState<string | null>(null);
  const ownerId = owner?.id ?? (identity?.id ? String(identity.id) : null);
  const { tree } = useRegionTree();
  const ownerQuery = useQuery({
    queryKey: ['users', 'transferOwner', ownerId],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminTransferOwnerDocument, { id: ownerId! }, { signal })).user,
    enabled: Boolean(ownerId),
    staleTime: 60_000,
  });
  const choices = useMemo(
    () =>
      ownerQuery.data && tree ? territoriesOf(ownerQuery.data, tree).map((region) => ({ id: region.id, name: tree.label(region) })) : null,
    [ownerQuery.data, tree],
  );
  const current = customer.territory?.id ?? null;
  const staysPut = Boolean(choices && current && choices.some((choice) => choice.id === current));
  const needsTerritory = Boolean(choices && !staysPut);
  const onlyChoice = needsTerritory && choices!.length === 1 ? choices![0]!.id : null;
  const territoryId = needsTerritory
    ? chosenTerritory && choices!.some((choice) => choice.id === chosenTerritory)
      ? chosenTerritory
      : onlyChoice
    : null;
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.execute(
        AdminRequestTransferDocument,
        {
          input: {
            customerId: customer.id,
            reason: reason.trim(),
            toOwnerId: owner?.id ?? undefined,
            toTerritoryId: territoryId ?? undefined,
          },
        },
        { affects: ['transfers', 'auditEvents'] },
      ),
    onSuccess: () => {
      notify('resources.customers.transfer.sent', { type: 'info' });
      onDone?.();
      onClose();
    },
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
  const tooShort = reason.trim().length < REASON_MIN;
  const ready = !tooShort && choices !== null && (staysPut || territoryId !== null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) mutation.mutate();
  };
  const ownerName = owner?.name ?? ownerQuery.data?.name ?? '';
  const territoryName = (id: string | null) => (id && tree?.byId.get(id) ? tree.label(tree.byId.get(id)!) : '');
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'request-transfer-title' } as never }}
    >
      <DialogTitle id="request-transfer-title">{translate('resources.customers.transfer.title', { name: customer.legalName })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{translate('resources.customers.transfer.help')}</DialogContentText>
        <Stack spacing={2}>
          <TextField
            label={translate('resources.customers.transfer.reason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required
            autoFocus
            multiline
            minRows={3}
            helperText={translate('resources.customers.transfer.reasonHelp', { min: REASON_MIN })}
            slotProps={{ htmlInput: { maxLength: REASON_MAX, name: 'reason' } }}
          />
          {onBehalf ? (
            <UserPicker
              label={translate('resources.customers.transfer.toOwner')}
              value={owner}
              onChange={setOwner}
              roles={['REP', 'MANAGER']}
              helperText={translate('resources.customers.transfer.toOwnerHelp')}
              name="toOwner"
            />
          ) : null}
          {choices === null ? null : staysPut ? (
            <Typography variant="body2" data-testid="transfer-destination">
              {translate('resources.customers.transfer.staysIn', { territory: territoryName(current) })}
            </Typography>
          ) : choices.length === 0 ? (
            <Alert severity="warning" data-testid="transfer-destination">
              {translate('resources.customers.transfer.noTerritory', { owner: ownerName })}
            </Alert>
          ) : (
            <Autocomplete
              options={choices}
              value={choices.find((choice) => choice.id === territoryId) ?? null}
              onChange={(_event, next) => setChosenTerritory(next?.id ?? null)}
              getOptionLabel={(option) => option.name}
              isOptionEqualToValue={(a, b) => a.id === b.id}
              noOptionsText={translate('ra.navigation.no_results')}
              renderInput={(params) => (
                <TextField
                  {...params}
                  required
                  label={translate('resources.customers.transfer.toTerritory')}
                  helperText={translate('resources.customers.transfer.toTerritoryHelp', { territory: territoryName(current) })}
                  slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name: 'toTerritory' } }}
                />
              )}
            />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button type="submit" variant="contained" disabled={!ready || mutation.isPending}>
          {translate('resources.customers.transfer.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** "Request transfer" on a directory card (or any account the viewer does not own). */
export function RequestTransferButton({
  customer,
  variant = 'contained',
  onDone,
}: {
  customer: TransferTarget;
  variant?: 'contained' | 'outlined' | 'text';
  onDone?: () => void;
}) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { canAccess } = useCanAccess({ resource: 'transfers', action: 'create' });
  if (!canAccess) return null;
  return (
    <>
      <Button variant={variant} size="small" startIcon={<SwapHoriz />} onClick={() => setOpen(true)}>
        {translate('resources.customers.transfer.request')}
      </Button>
      {open ? <RequestTransferDialog customer={customer} onClose={() => setOpen(false)} onDone={onDone} /> : null}
    </>
  );
}
