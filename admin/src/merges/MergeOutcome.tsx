import Undo from '@mui/icons-material/Undo';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Confirm, Link, useDataProvider, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { AdminUndoMergeDocument, type AdminCustomerMergeFragment } from '../../../schema/generated/graphql';
import { formatDateTime } from '../common/format';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { undoRefusal } from './mergeErrors';

export type MergeRecord = AdminCustomerMergeFragment;
const AFFECTS = ['customers', 'contacts', 'interactions', 'orders', 'duplicateCandidates', 'merges', 'auditEvents'];

/** True while the undo window is open and the merge stands; re-evaluated when the window closes. */
export function useUndoable(merge: MergeRecord): boolean {
  const until = Date.parse(merge.undoableUntil);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (merge.undoneAt || now >= until) return;
    // setTimeout holds at most ~24.8 days; a longer window is re-checked then.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(until - now + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [merge.undoneAt, now, until]);
  return !merge.undoneAt && now < until;
}

/** A merge written: what moved, the record that stays, and Undo while it is allowed. */
export function MergeOutcome({ merge: initial, names }: { merge: MergeRecord; names?: Record<string, string> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [merge, setMerge] = useState(initial);
  const [confirming, setConfirming] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const undoable = useUndoable(merge);
  const undo = useMutation({
    mutationFn: async () => (await dataProvider.execute(AdminUndoMergeDocument, { mergeId: merge.id }, { affects: AFFECTS })).undoMerge,
    onSuccess: (undone) => {
      setConfirming(false);
      setMerge(undone);
      notify('resources.merges.notifications.undone', { type: 'info' });
      for (const resource of AFFECTS) void queryClient.invalidateQueries({ queryKey: [resource] });
    },
    onError: (error: Error) => {
      setConfirming(false);
      const own = undoRefusal(error);
      if (own) setRefusal(own);
      else notify(error.message, { type: 'error', messageArgs: { _: error.message } });
    },
  });
  const survivorName = merge.survivor?.legalName ?? names?.[merge.survivorId] ?? '—';
  const mergedNames = merge.mergedIds.map((id) => names?.[id]).filter(Boolean);
  const moves = merge.moves.filter((move) => move.count > 0);
  return (
    <Card data-testid="merge-outcome">
      <CardContent sx={{ display: 'grid', gap: 2 }}>
        {merge.undoneAt ? (
          <Alert severity="info">{translate('resources.merges.undone', { date: formatDateTime(merge.undoneAt, locale) })}</Alert>
        ) : (
          <Alert severity="success">
            {translate('resources.merges.done', {
              merged: mergedNames.length ? mergedNames.join(', ') : String(merge.mergedIds.length),
              survivor: survivorName,
            })}
          </Alert>
        )}
        {refusal ? (
          <Alert severity="warning" data-testid="undo-refusal">
            {translate(refusal)}
          </Alert>
        ) : null}
        {moves.length ? (
          <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }} data-testid="merge-moved">
            {moves.map((move) => (
              <Chip key={move.kind} label={`${translate(`resources.merges.kinds.${move.kind}`)}: ${move.count}`} />
            ))}
          </Stack>
        ) : null}
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <Button component={Link} to={`/customers/${merge.survivorId}/show`} variant="outlined">
            {translate('resources.merges.openSurvivor')}
          </Button>
          {undoable ? (
            <>
              <Button color="warning" variant="contained" startIcon={<Undo />} onClick={() => setConfirming(true)}>
                {translate('resources.merges.undo')}
              </Button>
              <Typography variant="body2" color="text.secondary">
                {translate('resources.merges.undoUntil', { until: formatDateTime(merge.undoableUntil, locale) })}
              </Typography>
            </>
          ) : !merge.undoneAt ? (
            <Typography variant="body2" color="text.secondary">
              {translate('resources.merges.undoClosed')}
            </Typography>
          ) : null}
        </Stack>
        <Box />
      </CardContent>
      <Confirm
        isOpen={confirming}
        loading={undo.isPending}
        title="resources.merges.undoTitle"
        content="resources.merges.undoContent"
        confirm="resources.merges.undo"
        confirmColor="warning"
        onConfirm={() => undo.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}
