import ArrowBack from '@mui/icons-material/ArrowBack';
import Download from '@mui/icons-material/Download';
import PlayArrow from '@mui/icons-material/PlayArrow';
import Stop from '@mui/icons-material/Stop';
import Undo from '@mui/icons-material/Undo';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, Show, useDataProvider, useLocaleState, useNotify, useShowContext, useTranslate } from 'react-admin';
import {
  AdminCancelImportDocument,
  AdminRevertImportDocument,
  AdminStartImportDocument,
  type ImportAction,
} from '../../../schema/generated/graphql';
import { intlLocale } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { useImportErrorHandler } from './importErrors';
import { revertible, WORKING, type ImportRecord } from './importResource';
import { ImportRows, ACTION_COLORS } from './ImportRows';
import { ImportStatusChip } from './ImportStatusChip';
import { ImportSteps, type StepName } from './ImportSteps';
import { MappingStep } from './MappingStep';
import { downloadReport } from './upload';

const POLL_MS = 1000;
const AFFECTS = ['imports', 'customers', 'contacts', 'auditEvents'];
const COUNTED: readonly { action: ImportAction; key: keyof ImportRecord['counts'] }[] = [
  { action: 'CREATE', key: 'create' },
  { action: 'UPDATE', key: 'update' },
  { action: 'CONTACT', key: 'contact' },
  { action: 'DUPLICATE_OWNED', key: 'duplicateOwned' },
  { action: 'INVALID', key: 'invalid' },
];

function useNumber() {
  const [locale] = useLocaleState();
  const format = new Intl.NumberFormat(intlLocale(locale));
  return (value: number) => format.format(value);
}

function Progress({ label, done, total, testId }: { label: string; done: number; total: number; testId: string }) {
  return (
    <Box role="status" aria-live="polite" data-testid={testId} sx={{ my: 2 }}>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {label}
      </Typography>
      <LinearProgress
        variant={total ? 'determinate' : 'indeterminate'}
        value={total ? Math.min(100, Math.round((100 * done) / total)) : 0}
        aria-label={label}
      />
    </Box>
  );
}

function DownloadButton({ job }: { job: ImportRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      startIcon={<Download />}
      disabled={busy}
      onClick={() => {
        setBusy(true);
        downloadReport(job.id, job.fileName, { url: job.reportUrl })
          .catch((error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }))
          .finally(() => setBusy(false));
      }}
    >
      {translate('resources.imports.report.download')}
    </Button>
  );
}

/**
 * An import action behind a confirmation dialog: the dialog closes when the action ends, a notice
 * follows success, the import is read again, and a refusal is worded by `useImportErrorHandler`.
 */
function useConfirmedAction(run: () => Promise<unknown>, notice: string, refetch: () => void) {
  const notify = useNotify();
  const onError = useImportErrorHandler(refetch);
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: run,
    onSuccess: () => {
      setConfirming(false);
      notify(notice, { type: 'info' });
      refetch();
    },
    onError: (error) => {
      setConfirming(false);
      onError(error);
    },
  });
  return { confirming, setConfirming, mutation };
}

/** Step three: the dry run's counts (each a filter of the row table), the rows, then Run. */
function ReportStep({ job, onBack, refetch }: { job: ImportRecord; onBack: () => void; refetch: () => void }) {
  const translate = useTranslate();
  const number = useNumber();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [action, setAction] = useState<ImportAction | null>(null);
  const {
    confirming,
    setConfirming,
    mutation: start,
  } = useConfirmedAction(
    () => dataProvider.execute(AdminStartImportDocument, { id: job.id, version: job.version! }, { affects: AFFECTS }),
    'resources.imports.notifications.started',
    refetch,
  );
  const ready = job.status === 'READY';
  const counts = job.counts;
  return (
    <Card>
      <CardContent>
        <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <Box sx={{ flex: '1 1 320px', minWidth: 0 }}>
            <Typography variant="subtitle1">{translate('resources.imports.report.title')}</Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('resources.imports.report.help')}
            </Typography>
          </Box>
          <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
            <Button startIcon={<ArrowBack />} onClick={onBack}>
              {translate('resources.imports.report.back')}
            </Button>
            {ready ? <DownloadButton job={job} /> : null}
            <Button
              variant="contained"
              color="warning"
              startIcon={<PlayArrow />}
              disabled={!ready || counts.create + counts.update + counts.contact === 0}
              onClick={() => setConfirming(true)}
            >
              {translate('resources.imports.report.run')}
            </Button>
          </Stack>
        </Stack>
        {!ready ? (
          <Progress
            testId="import-analyzing"
            done={job.analyzedRows}
            total={job.totalRows}
            label={
              job.status === 'ANALYZING'
                ? translate('resources.imports.report.analyzing', { done: number(job.analyzedRows), total: number(job.totalRows) })
                : translate('resources.imports.report.analyzingStart')
            }
          />
        ) : (
          <>
            <Stack
              direction="row"
              sx={{ gap: 1, flexWrap: 'wrap', my: 2 }}
              data-testid="import-counts"
              role="group"
              aria-label={translate('resources.imports.report.filterBy')}
            >
              <Chip
                label={`${translate('resources.imports.report.all')} ${number(job.totalRows)}`}
                color="primary"
                variant={action === null ? 'filled' : 'outlined'}
                onClick={() => setAction(null)}
                aria-pressed={action === null}
              />
              {COUNTED.map(({ action: each, key }) => (
                <Chip
                  key={each}
                  data-testid={`count-${each}`}
                  label={`${translate(`resources.imports.actions.${each}`)} ${number(counts[key])}`}
                  color={ACTION_COLORS[each]}
                  variant={action === each ? 'filled' : 'outlined'}
                  onClick={() => setAction(each)}
                  aria-pressed={action === each}
                />
              ))}
            </Stack>
            <ImportRows job={job} action={action} />
          </>
        )}
      </CardContent>
      <Confirm
        isOpen={confirming}
        loading={start.isPending}
        title="resources.imports.report.runTitle"
        content={translate('resources.imports.report.runContent', {
          create: number(counts.create),
          update: number(counts.update),
          contact: number(counts.contact),
          skipped: number(counts.duplicateOwned + counts.invalid),
        })}
        confirm="resources.imports.report.run"
        confirmColor="warning"
        onConfirm={() => start.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

/** What the run's and the revert's progress steps say, and which counter they follow. */
const PROGRESS_STEPS = {
  run: {
    testId: 'import-progress',
    done: (job: ImportRecord) => job.processedRows,
    title: 'resources.imports.run.title',
    help: null,
    progress: 'resources.imports.run.progress',
    cancel: 'resources.imports.run.cancel',
    cancelled: 'resources.imports.run.cancelled',
    cancelTitle: 'resources.imports.run.cancelTitle',
    cancelContent: 'resources.imports.run.cancelContent',
  },
  revert: {
    testId: 'import-revert-progress',
    done: (job: ImportRecord) => job.revertedRows,
    title: 'resources.imports.revert.title',
    help: 'resources.imports.revert.help',
    progress: 'resources.imports.revert.progress',
    cancel: 'resources.imports.revert.cancel',
    cancelled: 'resources.imports.revert.cancelled',
    cancelTitle: 'resources.imports.revert.cancelTitle',
    cancelContent: 'resources.imports.revert.cancelContent',
  },
} as const;

/**
 * Step four (the run) or step five while the revert runs in the background: its progress,
 * polled, and Stop (a stopped revert resumes when reverted again).
 */
function ProgressStep({ job, refetch, phase }: { job: ImportRecord; refetch: () => void; phase: keyof typeof PROGRESS_STEPS }) {
  const step = PROGRESS_STEPS[phase];
  const translate = useTranslate();
  const number = useNumber();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const {
    confirming,
    setConfirming,
    mutation: cancel,
  } = useConfirmedAction(
    () => dataProvider.execute(AdminCancelImportDocument, { id: job.id }, { affects: AFFECTS }),
    step.cancelled,
    refetch,
  );
  const done = step.done(job);
  return (
    <Card>
      <CardContent>
        <Typography variant="subtitle1">{translate(step.title)}</Typography>
        {step.help ? (
          <Typography variant="body2" color="text.secondary">
            {translate(step.help)}
          </Typography>
        ) : null}
        <Progress
          testId={step.testId}
          done={done}
          total={job.totalRows}
          label={translate(step.progress, { done: number(done), total: number(job.totalRows) })}
        />
        <Button color="warning" startIcon={<Stop />} onClick={() => setConfirming(true)}>
          {translate(step.cancel)}
        </Button>
      </CardContent>
      <Confirm
        isOpen={confirming}
        loading={cancel.isPending}
        title={step.cancelTitle}
        content={step.cancelContent}
        confirm={step.cancel}
        confirmColor="warning"
        onConfirm={() => cancel.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

/** Step five: what the run did (and a revert undid), Revert, and the rows a revert left alone. */
function ResultStep({ job, refetch }: { job: ImportRecord; refetch: () => void }) {
  const translate = useTranslate();
  const number = useNumber();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const {
    confirming,
    setConfirming,
    mutation: revert,
  } = useConfirmedAction(
    () => dataProvider.execute(AdminRevertImportDocument, { id: job.id }, { affects: AFFECTS }),
    'resources.imports.notifications.reverted',
    refetch,
  );
  const result = job.result;
  const figures: (keyof ImportRecord['result'])[] =
    job.status === 'REVERTED'
      ? [
          'createdCustomers',
          'updatedCustomers',
          'createdContacts',
          'removedCustomers',
          'restoredCustomers',
          'removedContacts',
          'revertRefused',
        ]
      : ['createdCustomers', 'updatedCustomers', 'createdContacts', 'skippedRows'];
  const outcome =
    job.status === 'COMPLETED' ? (
      <Alert severity="success">{translate('resources.imports.result.completed')}</Alert>
    ) : job.status === 'CANCELLED' ? (
      <Alert severity="warning">{translate('resources.imports.result.cancelled')}</Alert>
    ) : job.status === 'REVERTED' ? (
      <Alert severity="info">{translate('resources.imports.result.reverted')}</Alert>
    ) : (
      <Alert severity="error">
        {translate('resources.imports.result.failed', { error: job.error ?? '' })}
        {revertible(job) ? (
          <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
            {translate('resources.imports.result.failedRevertible')}
          </Box>
        ) : null}
      </Alert>
    );
  return (
    <Card>
      <CardContent>
        <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap', alignItems: 'flex-start', mb: 2 }}>
          <Typography variant="subtitle1" sx={{ flex: '1 1 200px' }}>
            {translate('resources.imports.result.title')}
          </Typography>
          <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap' }}>
            <DownloadButton job={job} />
            {revertible(job) ? (
              <Button variant="outlined" color="warning" startIcon={<Undo />} onClick={() => setConfirming(true)}>
                {translate('resources.imports.result.revert')}
              </Button>
            ) : null}
          </Stack>
        </Stack>
        <Box data-testid="import-outcome">{outcome}</Box>
        <Box
          data-testid="import-result"
          sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 2, my: 2 }}
        >
          {figures.map((figure) => (
            <Box key={figure} data-testid={`result-${figure}`}>
              <Typography variant="h5" component="p">
                {number(result[figure])}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {translate(`resources.imports.result.${figure}`)}
              </Typography>
            </Box>
          ))}
        </Box>
        {job.status === 'REVERTED' ? (
          <>
            <Typography variant="subtitle2" sx={{ mb: 1 }}>
              {translate('resources.imports.result.refusedTitle')}
            </Typography>
            <ImportRows job={job} mode="refused" />
          </>
        ) : null}
      </CardContent>
      <Confirm
        isOpen={confirming}
        loading={revert.isPending}
        title="resources.imports.result.revertTitle"
        content="resources.imports.result.revertContent"
        confirm="resources.imports.result.revert"
        confirmColor="warning"
        onConfirm={() => revert.mutate()}
        onClose={() => setConfirming(false)}
      />
    </Card>
  );
}

function stepOf(job: ImportRecord, view: 'mapping' | 'report'): StepName {
  if (job.status === 'RUNNING') return 'run';
  if (job.status === 'UPLOADED' || job.status === 'ANALYZING' || job.status === 'READY') return view;
  return 'result';
}

function WizardBody() {
  const { record: job, isPending, error, refetch } = useShowContext<ImportRecord>();
  const [view, setView] = useState<'mapping' | 'report'>('mapping');
  if (isPending) return <LoadingState />;
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!job) return null;
  const step = stepOf(job, view);
  const reload = () => void refetch();
  return (
    <Box sx={{ p: { xs: 1, sm: 2 }, display: 'grid', gap: 2, minWidth: 0 }}>
      <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h1" data-testid="import-file-name" sx={{ wordBreak: 'break-all' }}>
          {job.fileName}
        </Typography>
        <ImportStatusChip status={job.status} />
      </Stack>
      <ImportSteps active={step} />
      {step === 'mapping' ? (
        <MappingStep job={job} onChanged={reload} onContinue={() => setView('report')} />
      ) : step === 'report' ? (
        <ReportStep job={job} refetch={reload} onBack={() => setView('mapping')} />
      ) : step === 'run' ? (
        <ProgressStep job={job} refetch={reload} phase="run" />
      ) : job.status === 'REVERTING' ? (
        <ProgressStep job={job} refetch={reload} phase="revert" />
      ) : (
        <ResultStep job={job} refetch={reload} />
      )}
    </Box>
  );
}

/** One import, as the wizard's current step: columns, dry run, run, result. Followed every second while the server works on it. */
export function ImportWizard() {
  return (
    <Show<ImportRecord>
      actions={false}
      emptyWhileLoading={false}
      queryOptions={{
        refetchInterval: (query) => {
          const status = (query.state.data as ImportRecord | undefined)?.status;
          return status && WORKING.includes(status) ? POLL_MS : false;
        },
      }}
    >
      <WizardBody />
    </Show>
  );
}

export default ImportWizard;
