import TrendingUp from '@mui/icons-material/TrendingUp';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { AdminChangeLifecycleStageDocument, type LifecycleStage } from '../../../schema/generated/graphql';
import { LIFECYCLE_STAGES } from '../common/enums';
import type { ConsoleDataProvider } from '../providers/dataProvider';

/**
 * Move an account to another stage by hand, with a reason. One stage forward (or a manager's
 * move) applies at once; anything else becomes a request for a manager, and the console says so.
 */
export function ChangeStageButton({ customer }: { customer: { id: string; legalName: string; lifecycleStage?: LifecycleStage | null } }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [open, setOpen] = useState(false);
  const [toStage, setToStage] = useState<LifecycleStage | ''>('');
  const [reason, setReason] = useState('');
  const mutation = useMutation({
    mutationFn: async () =>
      (
        await dataProvider.execute(
          AdminChangeLifecycleStageDocument,
          { input: { customerId: customer.id, toStage: toStage as LifecycleStage, reason: reason.trim() } },
          { affects: ['customers', 'stageChanges'] },
        )
      ).changeLifecycleStage,
    onSuccess: (result) => {
      notify(result.applied ? 'resources.stageChanges.notifications.applied' : 'resources.stageChanges.notifications.requested', {
        type: 'info',
      });
      setOpen(false);
      setToStage('');
      setReason('');
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (toStage && reason.trim()) mutation.mutate();
  };
  return (
    <>
      <Button size="small" startIcon={<TrendingUp />} onClick={() => setOpen(true)}>
        {translate('resources.stageChanges.actions.change')}
      </Button>
      {open ? (
        <Dialog
          open
          onClose={() => setOpen(false)}
          fullWidth
          maxWidth="xs"
          slotProps={{ paper: { component: 'form', onSubmit: submit } as never }}
        >
          <DialogTitle>{translate('resources.stageChanges.dialog.title', { name: customer.legalName })}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>{translate('resources.stageChanges.dialog.help')}</DialogContentText>
            <Stack spacing={2}>
              <TextField
                select
                label={translate('resources.stageChanges.fields.toStage')}
                value={toStage}
                onChange={(event) => setToStage(event.target.value as LifecycleStage)}
                required
                slotProps={{ htmlInput: { name: 'toStage' } }}
              >
                {LIFECYCLE_STAGES.filter((stage) => stage !== customer.lifecycleStage).map((stage) => (
                  <MenuItem key={stage} value={stage}>
                    {translate(`enums.LifecycleStage.${stage}`)}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={translate('resources.stageChanges.fields.reason')}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                required
                multiline
                minRows={2}
                slotProps={{ htmlInput: { name: 'reason', maxLength: 500 } }}
              />
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
            <Button type="submit" variant="contained" disabled={!toStage || !reason.trim() || mutation.isPending}>
              {translate('resources.stageChanges.actions.submit')}
            </Button>
          </DialogActions>
        </Dialog>
      ) : null}
    </>
  );
}
