import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useDataProvider, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import { AdminLifecycleBreakdownDocument, type BreakdownBy, type LifecycleStage } from '../../../schema/generated/graphql';
import { QueryState } from '../charts/ChartCard';
import { STAGE_COLORS } from '../common/enums';
import { regionName } from '../common/format';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const STAGES = Object.keys(STAGE_COLORS) as LifecycleStage[];

const listOf = (filter: Record<string, unknown>) => `/customers?filter=${encodeURIComponent(JSON.stringify(filter))}`;

export function useBreakdown(by: BreakdownBy) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['customers', 'dashboard', 'breakdown', by],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminLifecycleBreakdownDocument, { by }, { signal })).lifecycleBreakdown,
  });
}

/**
 * Customers per stage in each province or with each rep, one stacked bar per group: one request.
 * A segment opens the customer list of that group and stage.
 */
export function BreakdownChart({ by, query }: { by: BreakdownBy; query: ReturnType<typeof useBreakdown> }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const navigate = useRedirect();
  const groupFilter = by === 'PROVINCE' ? 'regionId' : 'ownerId';
  return (
    <QueryState query={query}>
      {(groups) => {
        if (!groups.length) return <EmptyState />;
        const data = groups.map((group) => ({
          id: group.id,
          name: regionName(group, locale),
          ...Object.fromEntries(group.stages.map((s) => [s.stage, s.count])),
        }));
        return (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={110} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {STAGES.map((stage) => (
                <Bar
                  key={stage}
                  dataKey={stage}
                  stackId="stages"
                  name={translate(`enums.LifecycleStage.${stage}`)}
                  fill={STAGE_COLORS[stage]}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(entry) => navigate(listOf({ [groupFilter]: (entry as unknown as { id: string }).id, lifecycleStage: stage }))}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </QueryState>
  );
}
