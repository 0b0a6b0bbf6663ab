import ArrowBack from '@mui/icons-material/ArrowBack';
import CallMerge from '@mui/icons-material/CallMerge';
import Preview from '@mui/icons-material/Preview';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Confirm, Link, Title, useDataProvider, useLocaleState, useLocation, useNotify, useTranslate } from 'react-admin';
import {
  AdminMergeCustomerDocument,
  AdminMergeCustomersDocument,
  type AdminMergeCustomersMutation,
  type MergeField,
} from '../../../schema/generated/graphql';
import { formatDateTime, regionName } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { mergeRefusal } from './mergeErrors';
import { defaultChoices, displayValue, fieldChoices, MERGE_FIELDS, sameValue, type MergeSide } from './mergeFields';
import { MergeOutcome, type MergeRecord } from './MergeOutcome';

type Preview = AdminMergeCustomersMutation['mergeCustomers'];
const AFFECTS = ['customers', 'contacts', 'interactions', 'orders', 'duplicateCandidates', 'merges', 'auditEvents'];

function SideHeader({ side, survivor, onChoose }: { side: MergeSide; survivor: boolean; onChoose: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  // An archived record may be merged into a live one, never stay (the API refuses it as survivor).
  const archived = Boolean(side.archivedAt);
  return (
    <Stack spacing={0.5} sx={{ minWidth: 0 }}>
      <FormControlLabel
        disabled={archived}
        control={<Radio checked={survivor} onChange={onChoose} name="survivor" value={side.id} />}
        label={
          <Typography variant="subtitle2" component="span" sx={{ wordBreak: 'break-word' }}>
            {side.legalName}
          </Typography>
        }
      />
      <Box>
        <Chip
          size="small"
          color={survivor ? 'success' : 'default'}
          label={translate(survivor ? 'resources.merges.survivor' : 'resources.merges.merged')}
        />
      </Box>
      {archived ? (
        <Typography variant="caption" color="warning.main" data-testid="merge-side-archived">
          {translate('resources.merges.archivedSide', { date: formatDateTime(side.archivedAt, locale, false) })}
        </Typography>
      ) : null}
      <Typography variant="caption" color="text.secondary">
        {translate('resources.merges.created', {
          date: formatDateTime(side.createdAt, locale, false),
          owner: side.owner?.name ?? '—',
          territory: regionName(side.territory, locale),
        })}
      </Typography>
    </Stack>
  );
}

function PreviewPanel({ preview, sides }: { preview: Preview; sides: MergeSide[] }) {
  const translate = useTranslate();
  const nameOf = (id: string) => sides.find((side) => side.id === id)?.legalName ?? '—';
  const moves = preview.moves.filter((move) => move.count > 0);
  return (
    <Box data-testid="merge-preview" sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="subtitle1">{translate('resources.merges.previewTitle')}</Typography>
      <Box>
        <Typography variant="subtitle2" sx={{ mb: 1 }}>
          {translate('resources.merges.moves')}
        </Typography>
        {moves.length ? (
          <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }} data-testid="merge-moves">
            {moves.map((move) => (
              <Chip
                key={move.kind}
                data-testid={`move-${move.kind}`}
                label={`${translate(`resources.merges.kinds.${move.kind}`)}: ${move.count}`}
              />
            ))}
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {translate('resources.merges.noMoves')}
          </Typography>
        )}
      </Box>
      <Box>
        <Typography variant="subtitle2" sx={{ mb: 1 }}>
          {translate('resources.merges.resultingFields')}
        </Typography>
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="merge-result-fields">
            <TableBody>
              {preview.fields.map((entry) => (
                <TableRow key={entry.field}>
                  <TableCell sx={{ width: 180 }}>{translate(`resources.merges.fields.${entry.field}`)}</TableCell>
                  <TableCell>{displayValue(entry.field, (entry.value as { value?: unknown } | null)?.value, translate)}</TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>{nameOf(entry.fromId)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Box>
    </Box>
  );
}

/**
 * Two accounts side by side: which one stays, and for each field whose values differ the
 * value it keeps. Preview is a dry run of exactly those choices (the resulting fields and what
 * moves); Merge sends the same choices with the versions read here, so a record changed
 * meanwhile makes it a CONFLICT rather than a merge of something nobody saw.
 */
function MergeForm({
  sides,
  refusal,
  setRefusal,
  onReload,
  onMerged,
}: {
  sides: [MergeSide, MergeSide];
  refusal: string | null;
  setRefusal: (refusal: string | null) => void;
  onReload: () => void;
  onMerged: (merge: MergeRecord) => void;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  // The live record stays when the other is archived; otherwise the older one.
  const initialSurvivor = useMemo(() => {
    const live = sides.filter((side) => !side.archivedAt);
    if (live.length === 1) return live[0]!;
    return Date.parse(sides[0].createdAt ?? '') <= Date.parse(sides[1].createdAt ?? '') ? sides[0] : sides[1];
  }, [sides]);
  const bothArchived = sides.every((side) => side.archivedAt);
  const [survivorId, setSurvivorId] = useState(initialSurvivor.id);
  const survivor = sides.find((side) => side.id === survivorId)!;
  const other = sides.find((side) => side.id !== survivorId)!;
  const [choices, setChoices] = useState<Record<MergeField, string>>(() => defaultChoices(survivor, other));
  const [previewed, setPreviewed] = useState<{ key: string; result: Preview } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const input = {
    survivorId,
    mergedIds: [other.id],
    fieldChoices: fieldChoices(choices, survivorId),
    versions: sides.map((side) => ({ id: side.id, version: side.version! })),
  };
  const key = JSON.stringify(input);
  const fresh = previewed?.key === key ? previewed.result : null;

  const onError = (error: Error) => {
    setConfirming(false);
    const own = mergeRefusal(error);
    if (own) {
      setRefusal(own);
      setPreviewed(null);
      onReload();
    } else notify(error.message, { type: 'error', messageArgs: { _: error.message } });
  };
  const preview = useMutation({
    mutationFn: async () => (await dataProvider.execute(AdminMergeCustomersDocument, { input: { ...input, dryRun: true } })).mergeCustomers,
    onMutate: () => setRefusal(null),
    onSuccess: (result) => setPreviewed({ key, result }),
    onError,
  });
  const merge = useMutation({
    mutationFn: async () =>
      (await dataProvider.execute(AdminMergeCustomersDocument, { input: { ...input, dryRun: false } }, { affects: AFFECTS }))
        .mergeCustomers,
    onSuccess: (result) => {
      setConfirming(false);
      notify('resources.merges.notifications.merged', { type: 'info' });
      // The outcome first: the refetch of the sides that follows answers the merged id with its survivor.
      if (result.merge) onMerged(result.merge);
      for (const resource of AFFECTS) void queryClient.invalidateQueries({ queryKey: [resource] });
    },
    onError,
  });

  const chooseSurvivor = (next: MergeSide) => {
    setSurvivorId(next.id);
    setChoices(
      defaultChoices(
        next,
        sides.find((side) => side.id !== next.id)!,
      ),
    );
  };
  return (
    <Card>
      <CardContent sx={{ display: 'grid', gap: 2 }}>
        <Box>
          <Typography variant="subtitle1">{translate('resources.merges.title')}</Typography>
          <Typography variant="body2" color="text.secondary">
            {translate('resources.merges.help')}
          </Typography>
        </Box>
        {bothArchived ? (
          <Alert severity="warning" data-testid="merge-both-archived">
            {translate('resources.merges.bothArchived')}
          </Alert>
        ) : null}
        {refusal ? (
          <Alert severity="warning" data-testid="merge-refusal">
            {translate(refusal)}
          </Alert>
        ) : null}
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="merge-table" aria-label={translate('resources.merges.title')}>
            <TableHead>
              <TableRow sx={{ verticalAlign: 'top' }}>
                <TableCell sx={{ width: 150 }}>{translate('resources.merges.field')}</TableCell>
                {sides.map((side) => (
                  <TableCell
                    key={side.id}
                    sx={{ width: '42%' }}
                    data-testid={`merge-side-${side.id === survivorId ? 'survivor' : 'merged'}`}
                  >
                    <SideHeader side={side} survivor={side.id === survivorId} onChoose={() => chooseSurvivor(side)} />
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {MERGE_FIELDS.map(({ field, value }) => {
                const values = sides.map((side) => value(side));
                const same = sameValue(values[0], values[1]);
                return (
                  <TableRow key={field} data-testid={`merge-field-${field}`} sx={{ verticalAlign: 'top' }}>
                    <TableCell component="th" scope="row">
                      {translate(`resources.merges.fields.${field}`)}
                    </TableCell>
                    {sides.map((side, index) => {
                      const text = displayValue(field, values[index], translate);
                      return (
                        <TableCell key={side.id} sx={{ wordBreak: 'break-word' }}>
                          {same ? (
                            <Typography variant="body2" color="text.secondary">
                              {text}
                            </Typography>
                          ) : (
                            <FormControlLabel
                              sx={{ alignItems: 'flex-start', m: 0 }}
                              control={
                                <Radio
                                  size="small"
                                  sx={{ py: 0 }}
                                  checked={choices[field] === side.id}
                                  onChange={() => setChoices((current) => ({ ...current, [field]: side.id }))}
                                  name={`choice-${field}`}
                                  value={side.id}
                                  slotProps={{ input: { 'aria-label': `${translate(`resources.merges.fields.${field}`)}: ${text}` } }}
                                />
                              }
                              label={<Typography variant="body2">{text}</Typography>}
                            />
                          )}
                        </TableCell>
                      );
                    })}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
          <Button
            startIcon={<Preview />}
            variant={fresh ? 'outlined' : 'contained'}
            disabled={preview.isPending || bothArchived}
            onClick={() => preview.mutate()}
          >
            {translate(previewed ? 'resources.merges.previewAgain' : 'resources.merges.preview')}
          </Button>
          <Button
            startIcon={<CallMerge />}
            variant="contained"
            color="warning"
            disabled={!fresh || merge.isPending || bothArchived}
            onClick={() => setConfirming(true)}
          >
            {translate('resources.merges.merge')}
          </Button>
        </Stack>
        {preview.isPending ? <LoadingState label={translate('resources.merges.previewing')} /> : null}
        {previewed && !fresh ? <Alert severity="info">{translate('resources.merges.previewStale')}</Alert> : null}
        {fresh ? <PreviewPanel preview={fresh} sides={sides} /> : null}
      </CardContent>
      <Confirm
        isOpen={confirming}
        loading={merge.isPending}
        title="resources.merges.confirmTitle"
        content={translate('resources.merges.confirmContent', { merged: other.legalName, survivor: survivor.legalName })}
        confirm="resources.merges.merge"
        confirmColor="warning"
        onConfirm={() => merge.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

/** The merge screen of a pair: `#/merges/create?first=<id>&second=<id>`. Both sides are read in one request. */
export function MergeScreen() {
  const translate = useTranslate();
  const location = useLocation();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [refusal, setRefusal] = useState<string | null>(null);
  // Kept here, not in the form: once merged, the merged id answers with its survivor and the pair is gone.
  const [outcome, setOutcome] = useState<{ merge: MergeRecord; names: Record<string, string> } | null>(null);
  const params = new URLSearchParams(location.search);
  const ids = [params.get('first'), params.get('second')].filter((id): id is string => Boolean(id));
  const sides = useQuery({
    queryKey: ['customers', 'mergeSides', ...ids],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.batch(
          AdminMergeCustomerDocument,
          ids.map((id) => ({ id })),
          { signal },
        )
      ).map((data) => data.customer),
    enabled: ids.length === 2 && ids[0] !== ids[1],
  });
  // Both records as themselves: a record merged meanwhile answers with its survivor (lineage), which is no pair.
  const pair =
    sides.data?.length === 2 && sides.data.every((side, index) => side && side.id === ids[index] && side.access === 'EDIT')
      ? (sides.data as [MergeSide, MergeSide])
      : null;
  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, minWidth: 0 }}>
      <Title title="resources.merges.title" />
      <Box>
        <Button component={Link} to="/duplicateCandidates" startIcon={<ArrowBack />} size="small">
          {translate('resources.merges.backToCandidates')}
        </Button>
      </Box>
      {outcome ? (
        <MergeOutcome merge={outcome.merge} names={outcome.names} />
      ) : sides.isPending && sides.fetchStatus !== 'idle' ? (
        <LoadingState />
      ) : sides.error ? (
        <ErrorState error={sides.error} onRetry={() => void sides.refetch()} />
      ) : pair ? (
        // A re-read after a CONFLICT brings new versions: the form starts again from them.
        <MergeForm
          key={pair.map((side) => `${side.id}:${side.version}`).join()}
          sides={pair}
          refusal={refusal}
          setRefusal={setRefusal}
          onReload={() => void sides.refetch()}
          onMerged={(merge) => setOutcome({ merge, names: Object.fromEntries(pair.map((side) => [side.id, side.legalName])) })}
        />
      ) : (
        <Alert severity="warning">{translate('resources.merges.notFound')}</Alert>
      )}
    </Box>
  );
}

export default MergeScreen;
