import Replay from '@mui/icons-material/Replay';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import {
  DataTable,
  Pagination,
  ReferenceManyField,
  useDataProvider,
  useListContext,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import {
  AdminRedeliverWebhookEventDocument,
  type AdminWebhookAttemptFragment,
  type AdminWebhookFragment,
} from '../../../schema/generated/graphql';
import { intlLocale } from '../common/format';
import { ActionButton, ActionsColumn, StatusChip } from '../common/rowActions';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { formatLatency } from './DeliveryChart';

type Attempt = AdminWebhookAttemptFragment;
const FIELDS = 'resources.webhooks.deliveries.fields';

/** When, to the second: retries of one event are seconds apart. */
function TimeCell() {
  const record = useRecordContext<Attempt>();
  const [locale] = useLocaleState();
  if (!record) return null;
  const text = new Date(record.attemptedAt).toLocaleString(intlLocale(locale), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (
    <Typography variant="body2" component="time" dateTime={record.attemptedAt} sx={{ whiteSpace: 'nowrap' }}>
      {text}
    </Typography>
  );
}

/** Delivered or failed, and the receiver's HTTP status or why there was none. */
function OutcomeCell() {
  const record = useRecordContext<Attempt>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, whiteSpace: 'nowrap' }}>
      <StatusChip
        tone={record.succeeded ? 'success' : 'error'}
        label={translate(`resources.webhooks.deliveries.outcome.${record.succeeded ? 'succeeded' : 'failed'}`)}
      />
      <ResultText />
    </Box>
  );
}

/** The receiver's HTTP status, or why there was none (translated; the API's code on hover). */
function ResultText() {
  const record = useRecordContext<Attempt>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.statusCode !== null)
    return (
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap', fontFamily: 'monospace' }}>
        {translate('resources.webhooks.deliveries.http', { status: record.statusCode })}
      </Typography>
    );
  const kind = record.errorKind ?? 'unknown';
  return (
    <Tooltip title={record.errorKind ?? ''} describeChild>
      <Typography variant="body2" color="error" sx={{ whiteSpace: 'nowrap' }}>
        {translate(`resources.webhooks.deliveries.errorKinds.${kind}`, {
          _: translate('resources.webhooks.deliveries.errorKinds.unknown'),
        })}
      </Typography>
    </Tooltip>
  );
}

function LatencyCell() {
  const record = useRecordContext<Attempt>();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Typography variant="body2" sx={{ whiteSpace: 'nowrap', textAlign: 'right' }}>
      {formatLatency(record.latencyMs, locale)}
    </Typography>
  );
}

/** The first characters of the receiver's answer, on one line; all of it (≤ 500) on hover. */
function ResponseCell() {
  const record = useRecordContext<Attempt>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.responseExcerpt)
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('resources.webhooks.deliveries.noResponse')}
      </Typography>
    );
  return (
    <Tooltip title={<Box sx={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', fontSize: 12 }}>{record.responseExcerpt}</Box>}>
      <Typography
        variant="body2"
        component="code"
        sx={{
          fontFamily: 'monospace',
          display: 'block',
          maxWidth: 260,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
        }}
      >
        {record.responseExcerpt}
      </Typography>
    </Tooltip>
  );
}

/** The event's id and type; a click on the id narrows the log to that event's attempts (its retries). */
function EventCell() {
  const record = useRecordContext<Attempt>();
  const translate = useTranslate();
  const { filterValues, setFilters } = useListContext();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start' }}>
      <Tooltip title={translate('resources.webhooks.deliveries.filter.byEvent', { id: record.eventId })}>
        <Link
          component="button"
          type="button"
          variant="body2"
          sx={{ fontFamily: 'monospace' }}
          onClick={() => setFilters({ ...filterValues, eventId: record.eventId }, {}, false)}
        >
          {record.eventId}
        </Link>
      </Tooltip>
      <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
        {record.eventType}
      </Typography>
    </Box>
  );
}

/** Queues the row's event again, same Webhook-Id and body; the worker sends it (once the webhook is enabled). */
export function RedeliverButton({ webhook }: { webhook: AdminWebhookFragment }) {
  const record = useRecordContext<Attempt>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!record) return null;
  return (
    <ActionButton
      label="resources.webhooks.redeliver.action"
      icon={<Replay />}
      testId={`redeliver-${record.id}`}
      mutate={() =>
        dataProvider.execute(
          AdminRedeliverWebhookEventDocument,
          { webhookId: webhook.id, eventId: record.eventId },
          { affects: ['webhookDeliveries'] },
        )
      }
      success={webhook.enabled ? 'resources.webhooks.redeliver.queued' : 'resources.webhooks.redeliver.queuedDisabled'}
      errors="resources.webhooks.redeliver.errors"
    />
  );
}

type Outcome = 'all' | 'failed' | 'succeeded';

/** All attempts, only failures or only deliveries; and, once an event id was clicked, that event only. */
function LogFilters() {
  const translate = useTranslate();
  const { filterValues, setFilters } = useListContext();
  const outcome: Outcome = filterValues.succeeded === true ? 'succeeded' : filterValues.succeeded === false ? 'failed' : 'all';
  const setOutcome = (next: Outcome | null) => {
    if (!next) return;
    const { succeeded: _omit, ...rest } = filterValues;
    setFilters(next === 'all' ? rest : { ...rest, succeeded: next === 'succeeded' }, {}, false);
  };
  const clearEvent = () => {
    const { eventId: _omit, ...rest } = filterValues;
    setFilters(rest, {}, false);
  };
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center', mb: 1 }}>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={outcome}
        onChange={(_event, next: Outcome | null) => setOutcome(next)}
        aria-label={translate('resources.webhooks.deliveries.filter.label')}
      >
        {(['all', 'failed', 'succeeded'] as const).map((value) => (
          <ToggleButton key={value} value={value} sx={{ px: 1.5, textTransform: 'none' }}>
            {translate(`resources.webhooks.deliveries.filter.${value}`)}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {typeof filterValues.eventId === 'string' ? (
        <Chip
          size="small"
          color="primary"
          variant="outlined"
          label={translate('resources.webhooks.deliveries.filter.event', { id: filterValues.eventId })}
          onDelete={clearEvent}
          data-testid="event-filter"
        />
      ) : null}
    </Box>
  );
}

function EmptyLog() {
  const translate = useTranslate();
  const { filterValues } = useListContext();
  const filtered = Object.keys(filterValues ?? {}).length > 0;
  return <EmptyState message={translate(`resources.webhooks.deliveries.${filtered ? 'emptyFiltered' : 'empty'}`)} />;
}

/**
 * The table scrolls sideways inside its card, never the page; redelivery stays at its right edge
 * (sticky), on screen at any width.
 */
function LogTable({ webhook }: { webhook: AdminWebhookFragment }) {
  return (
    <Box sx={{ overflowX: 'auto', maxWidth: '100%', '& .RaDataTable-headerCell': { whiteSpace: 'nowrap' } }}>
      <DataTable<Attempt> rowClick={false} bulkActionButtons={false} data-testid="webhook-delivery-table" empty={<EmptyLog />}>
        <DataTable.Col source="attemptedAt" label={`${FIELDS}.attemptedAt`} disableSort>
          <TimeCell />
        </DataTable.Col>
        <DataTable.Col source="succeeded" label={`${FIELDS}.succeeded`} disableSort>
          <OutcomeCell />
        </DataTable.Col>
        <DataTable.Col source="eventId" label={`${FIELDS}.eventId`} disableSort>
          <EventCell />
        </DataTable.Col>
        <DataTable.Col source="attempt" label={`${FIELDS}.attempt`} disableSort />
        <DataTable.Col source="latencyMs" label={`${FIELDS}.latencyMs`} disableSort>
          <LatencyCell />
        </DataTable.Col>
        <DataTable.Col source="responseExcerpt" label={`${FIELDS}.responseExcerpt`} disableSort>
          <ResponseCell />
        </DataTable.Col>
        <ActionsColumn label={`${FIELDS}.actions`} sticky>
          <RedeliverButton webhook={webhook} />
        </ActionsColumn>
      </DataTable>
    </Box>
  );
}

/** Every attempt to deliver the webhook's events, newest first, paged on the server through the connection's cursors. */
export function DeliveryLog({ webhook }: { webhook: AdminWebhookFragment }) {
  return (
    <ReferenceManyField<AdminWebhookFragment, Attempt>
      reference="webhookDeliveries"
      target="webhookId"
      record={webhook}
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50, 100]} />}
    >
      <LogFilters />
      <LogTable webhook={webhook} />
    </ReferenceManyField>
  );
}
