import PlayArrow from '@mui/icons-material/PlayArrow';
import Preview from '@mui/icons-material/Preview';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  AdminApplyRealignmentDocument,
  AdminRealignmentDocument,
  AdminRealignmentPreviewDocument,
  type AdminRealignmentFragment,
  type AdminRealignmentPreviewQuery,
} from '../../../schema/generated/graphql';
import { ChartCard } from '../charts/ChartCard';
import { Placement } from '../common/fields';
import { regionName } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { applyRefusal, newJobId } from './ruleText';

type Plan = AdminRealignmentPreviewQuery['realignmentPreview'];
type Job = AdminRealignmentFragment;

/** How many of the moving accounts the preview lists (the API allows up to 100). */
const SAMPLE_SIZE = 25;
/** The chart shows the largest targets; the table beside it lists them all. */
const CHART_GROUPS = 10;
const POLL_MS = 1000;
/** The API's bounds on the reason recorded with every move. */
const REASON_MIN = 5;
const REASON_MAX = 1900;
/** What an applied realignment changes besides the accounts: their audit trail and transfer context. */
const AFFECTS = ['customers', 'auditEvents', 'transfers'];

const jobKey = (id: string | null) => ['realignments', id] as const;
const scroll = { overflowX: 'auto', maxHeight: 360 } as const;

/** Accounts per target territory and owner: a bar chart of the largest, and the full table. */
function Groups({ plan }: { plan: Plan }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const data = plan.groups.slice(0, CHART_GROUPS).map((group) => ({
    name: `${regionName(group.territory, locale)} · ${group.owner.name}`,
    count: group.count,
  }));
  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 6 }}>
        <ChartCard
          title={translate('resources.assignmentRules.realignment.groupsTitle')}
          testId="chart-realignment"
          height={56 + 36 * data.length}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, left: 8, bottom: 4 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Bar
                dataKey="count"
                name={translate('resources.assignmentRules.realignment.count')}
                fill="#1f4e79"
                maxBarSize={24}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
      </Grid>
      <Grid size={{ xs: 12, lg: 6 }}>
        <TableContainer sx={scroll}>
          <Table
            size="small"
            stickyHeader
            data-testid="realignment-groups"
            aria-label={translate('resources.assignmentRules.realignment.groupsTitle')}
          >
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.assignmentRules.fields.territory')}</TableCell>
                <TableCell>{translate('resources.assignmentRules.fields.owner')}</TableCell>
                <TableCell align="right">{translate('resources.assignmentRules.realignment.count')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {plan.groups.map((group) => (
                <TableRow key={`${group.territory.id}:${group.owner.id}`}>
                  <TableCell>{regionName(group.territory, locale)}</TableCell>
                  <TableCell>
                    <Typography variant="body2">{group.owner.name}</Typography>
                    <Typography variant="caption" color="text.secondary">
                      {group.owner.email}
                    </Typography>
                  </TableCell>
                  <TableCell align="right">{group.count}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Grid>
    </Grid>
  );
}

function Sample({ plan }: { plan: Plan }) {
  const translate = useTranslate();
  if (!plan.sample.length) return null;
  return (
    <Box>
      <Typography variant="subtitle2" sx={{ mb: 1 }}>
        {translate('resources.assignmentRules.realignment.sampleTitle', { smart_count: plan.sample.length })}
      </Typography>
      <TableContainer sx={scroll}>
        <Table size="small" stickyHeader data-testid="realignment-sample">
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.assignmentRules.realignment.account')}</TableCell>
              <TableCell>{translate('resources.assignmentRules.realignment.from')}</TableCell>
              <TableCell>{translate('resources.assignmentRules.realignment.to')}</TableCell>
              <TableCell>{translate('resources.assignmentRules.realignment.rule')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {plan.sample.map((move, index) => (
              <TableRow key={move.customer?.id ?? index} sx={{ verticalAlign: 'top' }}>
                <TableCell sx={{ minWidth: 160 }}>
                  {move.customer?.legalName ?? translate('resources.assignmentRules.realignment.hidden')}
                </TableCell>
                <TableCell>
                  <Placement owner={move.fromOwner} territory={move.fromTerritory} />
                </TableCell>
                <TableCell>
                  <Placement owner={move.toOwner} territory={move.toTerritory} />
                </TableCell>
                <TableCell>{move.rule.name}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}

/** The accounts a rule matches that stay where they are, and why. */
function NotMoved({ plan }: { plan: Plan }) {
  const translate = useTranslate();
  const reasons = [
    plan.outsideRegions ? translate('resources.assignmentRules.realignment.outsideRegions', { smart_count: plan.outsideRegions }) : null,
    plan.ownerMisfits ? translate('resources.assignmentRules.realignment.ownerMisfits', { smart_count: plan.ownerMisfits }) : null,
  ].filter((reason): reason is string => reason !== null);
  return (
    <Box data-testid="realignment-not-moved">
      <Typography variant="subtitle2">{translate('resources.assignmentRules.realignment.notMovedTitle')}</Typography>
      {reasons.length ? (
        <Box component="ul" sx={{ m: 0, pl: 3 }}>
          {reasons.map((reason) => (
            <Typography key={reason} component="li" variant="body2">
              {reason}
            </Typography>
          ))}
        </Box>
      ) : (
        <Typography variant="body2" color="text.secondary">
          {translate('resources.assignmentRules.realignment.noneBlocked')}
        </Typography>
      )}
    </Box>
  );
}

function ApplyDialog({ plan, onClose, onApply }: { plan: Plan; onClose: () => void; onApply: (reason: string) => void }) {
  const translate = useTranslate();
  const [reason, setReason] = useState('');
  const valid = reason.trim().length >= REASON_MIN && reason.trim().length <= REASON_MAX;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) onApply(reason.trim());
  };
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'realignment-confirm-title' } as never }}
    >
      <DialogTitle id="realignment-confirm-title">{translate('resources.assignmentRules.realignment.confirmTitle')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {translate('resources.assignmentRules.realignment.confirmContent', { smart_count: plan.total })}
        </DialogContentText>
        <TextField
          label={translate('resources.assignmentRules.realignment.reason')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          required
          autoFocus
          fullWidth
          multiline
          minRows={2}
          helperText={translate('resources.assignmentRules.realignment.reasonHelp')}
          slotProps={{ htmlInput: { name: 'reason', maxLength: REASON_MAX } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button type="submit" variant="contained" color="warning" disabled={!valid}>
          {translate('resources.assignmentRules.realignment.apply')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A running job's progress bar, or how it ended. */
function Progress({ job, failure }: { job: Job | null | undefined; failure: string | null }) {
  const translate = useTranslate();
  if (job?.status === 'DONE')
    return (
      <Alert severity="success" data-testid="realignment-result">
        {translate('resources.assignmentRules.realignment.done', { smart_count: job.moved })}
      </Alert>
    );
  if (job?.status === 'FAILED')
    return (
      <Alert severity="error" data-testid="realignment-result">
        {translate('resources.assignmentRules.realignment.failed')}
      </Alert>
    );
  // The job's row is the truth while it exists: a lost answer to the apply (a timeout) is not a failure.
  if (failure && !job)
    return (
      <Alert severity="error" data-testid="realignment-result">
        {translate(failure, { _: failure })}
      </Alert>
    );
  const label = job
    ? translate('resources.assignmentRules.realignment.progress', { done: job.done, total: job.total })
    : translate('resources.assignmentRules.realignment.waiting');
  return (
    <Box role="status" aria-live="polite" data-testid="realignment-progress">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Chip size="small" color="info" label={translate('resources.assignmentRules.realignment.status.RUNNING')} />
        <Typography variant="body2">{label}</Typography>
      </Stack>
      <LinearProgress
        variant={job && job.total ? 'determinate' : 'indeterminate'}
        value={job && job.total ? Math.round((100 * job.done) / job.total) : 0}
        aria-label={label}
      />
    </Box>
  );
}

/**
 * Preview what the current rules would move, then apply exactly that plan: the apply carries the
 * preview's rule-set version and digest (the API refuses another plan with CONFLICT) and a job id
 * chosen here, whose progress is polled until the job is DONE or FAILED.
 */
export function RealignmentPanel() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<'stale' | 'jobTaken' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const apply = useMutation({
    mutationFn: async ({ plan, reason, id }: { plan: Plan; reason: string; id: string }) =>
      (
        await dataProvider.execute(
          AdminApplyRealignmentDocument,
          { input: { ruleSetVersion: plan.ruleSetVersion, digest: plan.digest, reason, jobId: id } },
          { affects: AFFECTS },
        )
      ).applyRealignment,
    onSuccess: (job) => {
      queryClient.setQueryData(jobKey(job.id), job);
      for (const resource of AFFECTS) void queryClient.invalidateQueries({ queryKey: [resource] });
    },
    onError: (error: Error) => {
      const kind = applyRefusal(error);
      if (kind) setRefusal(kind);
      else setFailure(error.message);
    },
  });
  const preview = useMutation({
    mutationFn: async () => (await dataProvider.execute(AdminRealignmentPreviewDocument, { sampleSize: SAMPLE_SIZE })).realignmentPreview,
    onMutate: () => {
      setJobId(null);
      setRefusal(null);
      setFailure(null);
      apply.reset();
    },
  });
  // The apply answers only once it is over; meanwhile the job row says how far it got. Polling
  // stops at DONE or FAILED, or when the apply ended without a job (refused before it started).
  const job = useQuery({
    queryKey: jobKey(jobId),
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminRealignmentDocument, { id: jobId! }, { signal })).realignment,
    enabled: Boolean(jobId) && !refusal,
    refetchInterval: (query) => {
      const current = query.state.data;
      if (current ? current.status !== 'RUNNING' : !apply.isPending) return false;
      return POLL_MS;
    },
  });

  const plan = preview.data;
  const started = jobId !== null && !refusal;
  const running = started && (apply.isPending || job.data?.status === 'RUNNING');
  // Once applied, the preview describes moves that happened: only the result stays.
  const applied = started && job.data?.status === 'DONE';
  const start = (reason: string) => {
    const id = newJobId();
    setConfirming(false);
    setJobId(id);
    apply.mutate({ plan: plan!, reason, id });
  };

  return (
    <Card data-testid="realignment-panel">
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" sx={{ alignItems: 'flex-start', gap: 2, flexWrap: 'wrap' }}>
            <Box sx={{ flex: '1 1 320px', minWidth: 0 }}>
              <Typography variant="subtitle1">{translate('resources.assignmentRules.realignment.title')}</Typography>
              <Typography variant="body2" color="text.secondary">
                {translate('resources.assignmentRules.realignment.help')}
              </Typography>
            </Box>
            <Stack direction="row" spacing={1}>
              <Button
                variant={plan ? 'outlined' : 'contained'}
                size="small"
                startIcon={<Preview />}
                disabled={preview.isPending || running}
                onClick={() => preview.mutate()}
              >
                {translate(plan ? 'resources.assignmentRules.realignment.previewAgain' : 'resources.assignmentRules.realignment.preview')}
              </Button>
              {plan ? (
                <Button
                  variant="contained"
                  color="warning"
                  size="small"
                  startIcon={<PlayArrow />}
                  disabled={!plan.total || started || Boolean(refusal) || preview.isPending}
                  onClick={() => setConfirming(true)}
                >
                  {translate('resources.assignmentRules.realignment.apply')}
                </Button>
              ) : null}
            </Stack>
          </Stack>
          {refusal ? (
            <Alert
              severity="warning"
              data-testid="realignment-stale"
              action={
                <Button color="inherit" size="small" onClick={() => preview.mutate()}>
                  {translate('resources.assignmentRules.realignment.previewAgain')}
                </Button>
              }
            >
              {translate(`resources.assignmentRules.realignment.${refusal}`)}
            </Alert>
          ) : null}
          {started ? <Progress job={job.data} failure={apply.isPending ? null : failure} /> : null}
          {preview.isPending ? (
            <LoadingState label={translate('resources.assignmentRules.realignment.previewing')} />
          ) : preview.error ? (
            <ErrorState error={preview.error} onRetry={() => preview.mutate()} />
          ) : plan && !applied ? (
            <>
              <Typography variant="h6" component="p" data-testid="realignment-total">
                {plan.total
                  ? translate('resources.assignmentRules.realignment.total', { smart_count: plan.total })
                  : translate('resources.assignmentRules.realignment.nothing')}
              </Typography>
              {plan.total ? <Groups plan={plan} /> : null}
              <Sample plan={plan} />
              <NotMoved plan={plan} />
            </>
          ) : null}
        </Stack>
      </CardContent>
      {confirming && plan ? <ApplyDialog plan={plan} onClose={() => setConfirming(false)} onApply={start} /> : null}
    </Card>
  );
}
