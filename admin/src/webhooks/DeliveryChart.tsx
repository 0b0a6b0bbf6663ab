import { useQuery } from '@tanstack/react-query';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { AdminWebhookDeliveriesDocument } from '../../../schema/generated/graphql';
import { ChartCard, QueryState, isHidden } from '../charts/ChartCard';
import { intlLocale } from '../common/format';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { bucketAttempts, median } from './attemptBuckets';

/** The chart reads the latest attempts, one page of the API's largest size. */
export const RECENT_ATTEMPTS = 100;
const DAY = 86_400_000;

const SUCCESS = '#2e7d32';
const FAILURE = '#d32f2f';
const LATENCY = '#1f4e79';

export function formatLatency(ms: number | null | undefined, locale: string, unitDisplay: 'short' | 'narrow' = 'short'): string {
  if (ms === null || ms === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(locale), { style: 'unit', unit: 'millisecond', unitDisplay }).format(ms);
}

export function useRecentAttempts(webhookId: string | undefined) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['webhookDeliveries', 'recent', webhookId],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.execute(AdminWebhookDeliveriesDocument, { webhookId: webhookId!, first: RECENT_ATTEMPTS }, { signal })
      ).webhookDeliveries.edges.map((edge) => edge.node),
    enabled: Boolean(webhookId),
  });
}

/**
 * The latest attempts per time bucket: delivered and failed stacked, the median latency as a line
 * on its own axis. The header sums them up in words, for a glance and for screen readers.
 */
export function DeliveryChart({ webhookId }: { webhookId: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const query = useRecentAttempts(webhookId);
  if (isHidden(query)) return null;
  const attempts = query.data ?? [];
  const succeeded = attempts.filter((attempt) => attempt.succeeded).length;
  const subheader = attempts.length
    ? translate('resources.webhooks.chart.subheader', {
        count: attempts.length,
        succeeded,
        failed: attempts.length - succeeded,
        latency: formatLatency(median(attempts.map((attempt) => attempt.latencyMs)), locale),
      })
    : undefined;
  return (
    <ChartCard title={translate('resources.webhooks.chart.title')} subheader={subheader} testId="webhook-attempts-chart" height={280}>
      <QueryState query={query}>
        {(rows) => {
          if (!rows.length) return <EmptyState message={translate('resources.webhooks.chart.empty')} />;
          const { step, buckets } = bucketAttempts(rows);
          const tick = new Intl.DateTimeFormat(
            intlLocale(locale),
            step >= DAY ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
          );
          const time = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' });
          const data = buckets.map((bucket) => ({ ...bucket, label: tick.format(bucket.start) }));
          return (
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
                <YAxis yAxisId="count" allowDecimals={false} tick={{ fontSize: 11 }} width={32} />
                <YAxis
                  yAxisId="latency"
                  orientation="right"
                  tick={{ fontSize: 11 }}
                  width={60}
                  tickFormatter={(value: number) => formatLatency(value, locale, 'narrow')}
                />
                <Tooltip
                  labelFormatter={(_label, payload) => {
                    const start = (payload?.[0]?.payload as { start?: number } | undefined)?.start;
                    return start === undefined ? '' : time.format(start);
                  }}
                  formatter={(value, name) => [
                    name === 'latencyMs' ? formatLatency(Number(value), locale) : String(value),
                    translate(name === 'latencyMs' ? 'resources.webhooks.chart.latency' : `resources.webhooks.chart.${String(name)}`),
                  ]}
                />
                <Legend
                  formatter={(value: string) =>
                    translate(value === 'latencyMs' ? 'resources.webhooks.chart.latency' : `resources.webhooks.chart.${value}`)
                  }
                  itemSorter={null}
                  wrapperStyle={{ fontSize: 12 }}
                />
                <Bar yAxisId="count" dataKey="succeeded" stackId="attempts" fill={SUCCESS} isAnimationActive={false} />
                <Bar yAxisId="count" dataKey="failed" stackId="attempts" fill={FAILURE} isAnimationActive={false} />
                <Line
                  yAxisId="latency"
                  dataKey="latencyMs"
                  stroke={LATENCY}
                  strokeWidth={2}
                  dot={{ r: 2 }}
                  connectNulls
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          );
        }}
      </QueryState>
    </ChartCard>
  );
}
