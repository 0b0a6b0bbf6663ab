import ManageAccounts from '@mui/icons-material/ManageAccounts';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useDataProvider, useListContext, useNotify, useRefresh, useTranslate } from 'react-admin';
import { AdminReassignCustomersDocument, type AdminReassignCustomersMutation } from '../../../schema/generated/graphql';
import { RegionPicker, UserPicker } from '../common/pickers';
import { TERRITORY_KINDS } from '../common/RegionInput';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { ReassignRefusal, refusalOf } from './ReassignRefusal';

/** The API's bound on one bulk reassignment. */
export const MAX_REASSIGN = 10_000;

type Result = AdminReassignCustomersMutation['reassignCustomers'];

/** Seconds since `running` turned true: the progress shown while the server works. */
function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return undefined;
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 250);
    return () => {
      clearInterval(timer);
      setSeconds(0);
    };
  }, [running]);
  return seconds;
}

export function ReassignDialog({
  customerIds,
  legalNames,
  onClose,
  onDone,
}: {
  customerIds: string[];
  /** The selected rows' legal names, for a refusal that names an account by id only. */
  legalNames: ReadonlyMap<string, string>;
  onClose: () => void;
  onDone: () => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [owner, setOwner] = useState<{ id: string; name: string } | null>(null);
  const [territoryId, setTerritoryId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: async (): Promise<Result> =>
      (
        await dataProvider.execute(
          AdminReassignCustomersDocument,
          { input: { customerIds, toOwnerId: owner!.id, toTerritoryId: territoryId ?? undefined, reason: reason.trim() } },
          { affects: ['customers', 'auditEvents'] },
        )
      ).reassignCustomers,
    onSuccess: () => onDone(),
    // A refusal the dialog can explain stays in it, naming what is at fault; anything else is a notice.
    onError: (error: Error) => {
      if (!refusalOf(error, { toTerritoryId: territoryId, legalNames }))
        notify(error.message, { type: 'error', messageArgs: { _: error.message } });
    },
  });
  const refusal = mutation.isError ? refusalOf(mutation.error, { toTerritoryId: territoryId, legalNames }) : null;
  const elapsed = useElapsed(mutation.isPending);
  const count = customerIds.length;
  const tooMany = count > MAX_REASSIGN;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (owner && reason.trim() && !tooMany) mutation.mutate();
  };
  const result = mutation.data;
  return (
    <Dialog
      open
      onClose={mutation.isPending ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'reassign-title' } as never }}
    >
      <DialogTitle id="reassign-title">{translate('resources.customers.reassign.title', { smart_count: count })}</DialogTitle>
      <DialogContent>
        {result ? (
          <Alert severity="success" data-testid="reassign-result">
            <AlertTitle>{translate('resources.customers.reassign.resultTitle')}</AlertTitle>
            {translate('resources.customers.reassign.result', { count: result.count, skipped: result.skipped, elapsed: result.elapsedMs })}
          </Alert>
        ) : (
          <Stack spacing={2} sx={{ pt: 1 }}>
            {refusal && owner ? <ReassignRefusal refusal={refusal} owner={owner.name} /> : null}
            {tooMany ? <Alert severity="error">{translate('resources.customers.reassign.tooMany', { max: MAX_REASSIGN })}</Alert> : null}
            <UserPicker
              label={translate('resources.customers.reassign.toOwner')}
              value={owner}
              onChange={setOwner}
              roles={['REP', 'MANAGER']}
              required
              name="toOwner"
            />
            <RegionPicker
              label={translate('resources.customers.reassign.toTerritory')}
              kinds={TERRITORY_KINDS}
              value={territoryId}
              onChange={setTerritoryId}
              helperText={translate('resources.customers.reassign.toTerritoryHelp')}
              name="toTerritory"
            />
            <TextField
              label={translate('resources.customers.reassign.reason')}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              required
              multiline
              minRows={2}
              slotProps={{ htmlInput: { name: 'reason', maxLength: 2000 } }}
            />
            {mutation.isPending ? (
              <Box role="status" aria-live="polite">
                <LinearProgress aria-label={translate('resources.customers.reassign.running', { smart_count: count })} />
                <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                  {translate('resources.customers.reassign.running', { smart_count: count })}{' '}
                  {translate('resources.customers.reassign.elapsed', { seconds: elapsed })}
                </Typography>
              </Box>
            ) : null}
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        {result ? (
          <Button variant="contained" onClick={onClose}>
            {translate('resources.customers.reassign.done')}
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={mutation.isPending}>
              {translate('ra.action.cancel')}
            </Button>
            <Button type="submit" variant="contained" disabled={!owner || !reason.trim() || tooMany || mutation.isPending}>
              {translate('resources.customers.reassign.submit')}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}

/** Bulk action of the customer list: the selected accounts to one owner (and territory). */
export function ReassignButton() {
  const translate = useTranslate();
  const refresh = useRefresh();
  const { selectedIds, onUnselectItems, data } = useListContext<{ id: string; legalName?: string }>();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const close = () => {
    setOpen(false);
    if (done) {
      onUnselectItems();
      refresh();
      setDone(false);
    }
  };
  return (
    <>
      <Button size="small" startIcon={<ManageAccounts />} onClick={() => setOpen(true)}>
        {translate('resources.customers.reassign.button')}
      </Button>
      {open ? (
        <ReassignDialog
          customerIds={selectedIds.map(String)}
          legalNames={new Map((data ?? []).flatMap((row) => (row.legalName ? [[String(row.id), row.legalName] as const] : [])))}
          onClose={close}
          onDone={() => setDone(true)}
        />
      ) : null}
    </>
  );
}
