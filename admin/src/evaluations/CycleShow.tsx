import PlayArrow from '@mui/icons-material/PlayArrow';
import Publish from '@mui/icons-material/Publish';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Confirm,
  EditButton,
  Show,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useLocaleState,
  useNotify,
  useRecordContext,
  useShowContext,
  useTranslate,
} from 'react-admin';
import {
  AdminEvaluationRunDocument,
  AdminPublishEvaluationCycleDocument,
  AdminRunEvaluationCycleDocument,
  type AdminEvaluationCycleFragment,
  type AdminEvaluationRunFragment,
} from '../../../schema/generated/graphql';
import { ChartCard, QueryState } from '../charts/ChartCard';
import {
  GradeChart,
  MovementChart,
  ParetoChart,
  QuadrantChart,
  ValueTierChart,
  useDistribution,
  type Distribution,
} from '../charts/EvaluationCharts';
import { DateTimeText } from '../common/fields';
import { formatMoney } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { WEIGHT_KEYS } from './evaluationCycleResource';
import { CycleStatusChip } from './CycleList';

type Cycle = AdminEvaluationCycleFragment;
type Run = AdminEvaluationRunFragment;

/** How often a running computation is polled. */
export const RUN_POLL_MS = 1000;

export const runKey = (cycleId: string) => ['evaluationCycles', 'run', cycleId] as const;

/** The latest computation of a cycle, polled every second while it runs. */
export function useEvaluationRun(cycleId: string | undefined, enabled: boolean) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: runKey(cycleId ?? ''),
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminEvaluationRunDocument, { cycleId: cycleId! }, { signal })).evaluationRun ?? null,
    enabled: enabled && Boolean(cycleId),
    refetchInterval: (query) => (query.state.data?.status === 'RUNNING' ? RUN_POLL_MS : false),
  });
}

function RunProgress({ run }: { run: Run }) {
  const translate = useTranslate();
  const percent = Math.round(run.share * 100);
  return (
    <Box data-testid="run-progress" role="status" aria-live="polite">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <Box sx={{ flex: 1 }}>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={translate('resources.evaluationCycles.run.progressLabel')}
            sx={{ height: 10, borderRadius: 5 }}
          />
        </Box>
        <Typography variant="body2" sx={{ minWidth: 44, textAlign: 'right' }} data-testid="run-percent">
          {percent}%
        </Typography>
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {translate(`enums.EvaluationRunPhase.${run.phase}`)} ·{' '}
        {translate('resources.evaluationCycles.run.progress', { done: run.done, total: run.total })}
        {run.etaSeconds !== null && run.etaSeconds !== undefined
          ? ` · ${translate('resources.evaluationCycles.run.eta', { seconds: run.etaSeconds })}`
          : ''}
      </Typography>
    </Box>
  );
}

/** Run (or run again) and follow the computation; when it finishes, the cycle and its results reload. */
export function RunPanel({ cycle, onFinished }: { cycle: Cycle; onFinished: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { canAccess: canRun } = useCanAccess({ resource: 'evaluationCycles', action: 'run' });
  const run = useEvaluationRun(cycle.id, Boolean(canRun));
  const previous = useRef<string | undefined>(undefined);
  const status = run.data?.status;
  useEffect(() => {
    if (previous.current === 'RUNNING' && status && status !== 'RUNNING') {
      void queryClient.invalidateQueries({ queryKey: ['evaluationCycles', 'distribution', cycle.id] });
      onFinished();
    }
    previous.current = status;
  }, [status, cycle.id, onFinished, queryClient]);
  const start = useMutation({
    mutationFn: async () =>
      (await dataProvider.execute(AdminRunEvaluationCycleDocument, { id: cycle.id }, { affects: ['evaluationCycles'] })).runEvaluationCycle,
    onSuccess: (started) => {
      notify('resources.evaluationCycles.run.started', { type: 'info' });
      queryClient.setQueryData(runKey(cycle.id), started);
    },
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
  if (!canRun) return null;
  const running = status === 'RUNNING';
  const published = cycle.status === 'PUBLISHED';
  return (
    <Card variant="outlined" data-testid="run-panel">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
          <Typography variant="subtitle1">{translate('resources.evaluationCycles.sections.run')}</Typography>
          {published ? null : (
            <Button variant="contained" startIcon={<PlayArrow />} onClick={() => start.mutate()} disabled={running || start.isPending}>
              {translate(
                cycle.status === 'DRAFT' && !run.data
                  ? 'resources.evaluationCycles.actions.run'
                  : 'resources.evaluationCycles.actions.rerun',
              )}
            </Button>
          )}
        </Stack>
        {run.isPending ? (
          <LoadingState />
        ) : run.error ? (
          <ErrorState error={run.error} onRetry={() => void run.refetch()} />
        ) : !run.data ? (
          <Typography variant="body2" color="text.secondary">
            {translate('resources.evaluationCycles.run.never')}
          </Typography>
        ) : running ? (
          <RunProgress run={run.data} />
        ) : run.data.status === 'FAILED' ? (
          <Alert severity="error">{translate('resources.evaluationCycles.run.failed', { error: run.data.error ?? '' })}</Alert>
        ) : (
          <Box data-testid="run-done">
            <LinearProgress
              variant="determinate"
              value={100}
              color="success"
              sx={{ height: 10, borderRadius: 5, mb: 1 }}
              aria-label={translate('resources.evaluationCycles.run.progressLabel')}
            />
            <Typography variant="body2" color="text.secondary">
              {translate('resources.evaluationCycles.run.customers', { count: run.data.customers })} ·{' '}
              {translate('resources.evaluationCycles.run.finished')} <DateTimeText value={run.data.finishedAt} />
            </Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function Definition({ cycle }: { cycle: Cycle }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string) => translate(`resources.evaluationCycles.${key}`);
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="subtitle1" sx={{ mb: 1 }}>
          {t('sections.definition')}
        </Typography>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, sm: 6 }}>
            <Typography variant="caption" color="text.secondary">
              {t('sections.weights')}
            </Typography>
            <Table size="small">
              <TableBody>
                {WEIGHT_KEYS.map((key) => (
                  <TableRow key={key}>
                    <TableCell sx={{ pl: 0 }}>{t(`weights.${key}`)}</TableCell>
                    <TableCell align="right">{cycle.weights[key]}%</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Grid>
          <Grid size={{ xs: 12, sm: 6 }}>
            <Typography variant="caption" color="text.secondary">
              {t('sections.grades')}
            </Typography>
            <Table size="small">
              <TableBody>
                {cycle.grades.map((grade) => (
                  <TableRow key={grade.name}>
                    <TableCell sx={{ pl: 0 }}>{grade.name}</TableCell>
                    <TableCell align="right">≥ {grade.minScore}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 1 }}>
              {t('sections.valueModel')}: {t('fields.marginRate')} {cycle.valueModel.marginRate} · {t('fields.costPerInteraction')}{' '}
              {formatMoney(cycle.valueModel.costPerInteraction, 'CNY', locale)}
            </Typography>
          </Grid>
        </Grid>
      </CardContent>
    </Card>
  );
}

function Results({ cycle }: { cycle: Cycle }) {
  const translate = useTranslate();
  const query = useDistribution(cycle.id);
  const t = (key: string) => translate(`resources.evaluationCycles.distribution.${key}`);
  const chart = (
    title: string,
    testId: string,
    render: (d: Distribution) => ReactNode,
    size: { xs: number; md: number } = { xs: 12, md: 6 },
  ) => (
    <Grid size={size}>
      <ChartCard
        title={title}
        testId={testId}
        subheader={query.data ? translate('resources.evaluationCycles.distribution.total', { count: query.data.total }) : undefined}
      >
        <QueryState query={query}>{render}</QueryState>
      </ChartCard>
    </Grid>
  );
  return (
    <Grid container spacing={2} data-testid="cycle-results">
      {chart(t('quadrants'), 'chart-cycle-quadrants', (d) => (
        <QuadrantChart distribution={d} />
      ))}
      {chart(t('grades'), 'chart-cycle-grades', (d) => (
        <GradeChart distribution={d} />
      ))}
      {chart(
        t('pareto'),
        'chart-cycle-pareto',
        (d) => (
          <ParetoChart distribution={d} />
        ),
        { xs: 12, md: 4 },
      )}
      {chart(
        t('valueTiers'),
        'chart-cycle-tiers',
        (d) => (
          <ValueTierChart distribution={d} />
        ),
        { xs: 12, md: 4 },
      )}
      {chart(
        t('movements'),
        'chart-cycle-movements',
        (d) => (
          <MovementChart distribution={d} />
        ),
        { xs: 12, md: 4 },
      )}
    </Grid>
  );
}

function PublishButton() {
  const record = useRecordContext<Cycle>();
  const { refetch } = useShowContext<Cycle>();
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'evaluationCycles', action: 'publish' });
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: () =>
      dataProvider.execute(AdminPublishEvaluationCycleDocument, { id: record!.id }, { affects: ['evaluationCycles', 'customers'] }),
    onSuccess: () => {
      setOpen(false);
      notify('resources.evaluationCycles.publish.done', { type: 'info' });
      void refetch();
    },
    onError: (error: Error) => {
      setOpen(false);
      notify(error.message, { type: 'error', messageArgs: { _: error.message } });
    },
  });
  if (!record || !canAccess || record.status !== 'COMPUTED') return null;
  return (
    <>
      <Button size="small" variant="contained" color="success" startIcon={<Publish />} onClick={() => setOpen(true)}>
        {translate('resources.evaluationCycles.actions.publish')}
      </Button>
      <Confirm
        isOpen={open}
        loading={mutation.isPending}
        title={translate('resources.evaluationCycles.publish.title', { name: record.name })}
        content={translate('resources.evaluationCycles.publish.message')}
        confirm="resources.evaluationCycles.actions.publish"
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

function CycleActions() {
  const record = useRecordContext<Cycle>();
  const { canAccess: canEdit } = useCanAccess({ resource: 'evaluationCycles', action: 'edit' });
  return (
    <TopToolbar>
      {record && canEdit && record.status !== 'PUBLISHED' ? <EditButton /> : null}
      <PublishButton />
    </TopToolbar>
  );
}

function CycleBody() {
  const { record, isPending, error, refetch } = useShowContext<Cycle>();
  const translate = useTranslate();
  if (isPending) return <LoadingState />;
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!record) return null;
  return (
    <Box sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
        <Typography variant="h5" component="h1" data-testid="cycle-name">
          {record.name}
        </Typography>
        <CycleStatusChip />
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('resources.evaluationCycles.fields.period')}: {record.periodStart} – {record.periodEnd}
        {record.publishedAt ? (
          <>
            {' · '}
            {translate('resources.evaluationCycles.fields.publishedAt')}: <DateTimeText value={record.publishedAt} />
          </>
        ) : null}
      </Typography>
      <Grid container spacing={2} sx={{ mb: 2 }}>
        <Grid size={{ xs: 12, md: 7 }}>
          <Definition cycle={record} />
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <RunPanel cycle={record} onFinished={() => void refetch()} />
        </Grid>
      </Grid>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        {translate('resources.evaluationCycles.sections.results')}
      </Typography>
      {record.status === 'DRAFT' ? (
        <Alert severity="info">{translate('resources.evaluationCycles.distribution.notComputed')}</Alert>
      ) : (
        <Results cycle={record} />
      )}
    </Box>
  );
}

/** A cycle: its definition, the computation (admins run it and follow its progress), its results, publish. */
export function CycleShow() {
  return (
    <Show actions={<CycleActions />} emptyWhileLoading={false}>
      <CycleBody />
    </Show>
  );
}

export default CycleShow;
