import SwapHoriz from '@mui/icons-material/SwapHoriz';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useCanAccess, useDataProvider, useNotify, usePermissions, useTranslate } from 'react-admin';
import { AdminRequestTransferDocument, type Role } from '../../../schema/generated/graphql';
import { RegionPicker, UserPicker } from '../common/pickers';
import { TERRITORY_KINDS } from '../common/RegionInput';
import type { ConsoleDataProvider } from '../providers/dataProvider';

/** The API's bounds on a transfer request's reason. */
export const REASON_MIN = 5;
export const REASON_MAX = 2000;

export interface TransferTarget {
  id: string;
  legalName: string;
}

/**
 * Why the account should move (5–2000 characters) → requestTransfer. Reps ask for themselves
 * (the API places the account in their territory); managers and admins may name the new owner
 * and territory.
 */
export function RequestTransferDialog({ customer, onClose, onDone }: { customer: TransferTarget; onClose: () => void; onDone?: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { permissions } = usePermissions<Role>();
  const onBehalf = permissions === 'ADMIN' || permissions === 'MANAGER';
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState<{ id: string; name: string } | null>(null);
  const [territoryId, setTerritoryId] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.execute(
        AdminRequestTransferDocument,
        { input: { customerId: customer.id, reason: reason.trim(), toOwnerId: owner?.id ?? undefined, toTerritoryId: territoryId ?? undefined } },
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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!tooShort) mutation.mutate();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'request-transfer-title' } as never }}>
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
            <>
              <UserPicker
                label={translate('resources.customers.transfer.toOwner')}
                value={owner}
                onChange={setOwner}
                roles={['REP', 'MANAGER']}
                helperText={translate('resources.customers.transfer.toOwnerHelp')}
                name="toOwner"
              />
              <RegionPicker
                label={translate('resources.customers.transfer.toTerritory')}
                kinds={TERRITORY_KINDS}
                value={territoryId}
                onChange={setTerritoryId}
                helperText={translate('resources.customers.transfer.toTerritoryHelp')}
                name="toTerritory"
              />
            </>
          ) : null}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button type="submit" variant="contained" disabled={tooShort || mutation.isPending}>
          {translate('resources.customers.transfer.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** "Request transfer" on a directory card (or any account the viewer does not own). */
export function RequestTransferButton({ customer, variant = 'contained', onDone }: { customer: TransferTarget; variant?: 'contained' | 'outlined' | 'text'; onDone?: () => void }) {
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
