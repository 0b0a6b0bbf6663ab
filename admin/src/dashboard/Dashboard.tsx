import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Title, useDataProvider, useGetIdentity, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import {
  AdminCustomerCountDocument,
  AdminDashboardCyclesDocument,
  AdminLifecycleFunnelDocument,
  AdminOverdueCustomersDocument,
  AdminTargetsReportDocument,
} from '../../../schema/generated/graphql';
import { ChartCard, QueryState, isHidden } from '../charts/ChartCard';
import { GradeChart, QuadrantChart, useDistribution, type Distribution } from '../charts/EvaluationCharts';
import { STAGE_COLORS } from '../common/enums';
import { formatMoney, formatPercent, regionName } from '../common/format';
import { EmptyState } from '../common/states';
import type { RegionRecord } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const listOf = (filter: Record<string, unknown>) => `/customers?filter=${encodeURIComponent(JSON.stringify(filter))}`;

/** A chart card that disappears when the API does not serve its fields (an older server). */
function DashboardChart({
  queries,
  size = { xs: 12, md: 6 },
  children,
}: {
  queries: { error: unknown }[];
  size?: { xs: number; md?: number; lg?: number };
  children: ReactNode;
}) {
  if (queries.some(isHidden)) return null;
  return <Grid size={size}>{children}</Grid>;
}

/** Customers per stage now, how many ever entered it, and conversion to the next: one request. */
function FunnelChart({
  query,
}: {
  query: UseQueryResult<{
    stages: { stage: keyof typeof STAGE_COLORS; count: number; entered: number; conversionToNext?: number | null }[];
    total: number;
  }>;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const navigate = useRedirect();
  return (
    <QueryState query={query}>
      {(funnel) => {
        const data = funnel.stages.map((s) => ({
          stage: s.stage,
          name: translate(`enums.LifecycleStage.${s.stage}`),
          count: s.count,
          entered: s.entered,
          conversion: s.conversionToNext === null || s.conversionToNext === undefined ? '' : formatPercent(s.conversionToNext, locale),
        }));
        if (!funnel.total) return <EmptyState />;
        return (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 20, right: 8, left: 0, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
              <YAxis allowDecimals={false} width={48} />
              <Tooltip
                formatter={(value, name) => [value as number, name]}
                labelFormatter={(label, payload) => {
                  const conversion = (payload?.[0]?.payload as { conversion?: string } | undefined)?.conversion;
                  return conversion ? `${label} · ${translate('dashboard.conversion')} ${conversion}` : String(label);
                }}
              />
              <Legend />
              <Bar dataKey="entered" name={translate('dashboard.entered')} fill="#cfd8dc" isAnimationActive={false} />
              <Bar
                dataKey="count"
                name={translate('dashboard.customers')}
                fill="#1f4e79"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry) => navigate(listOf({ lifecycleStage: (entry as unknown as { stage: string }).stage }))}
              >
                {data.map((d) => (
                  <Cell key={d.stage} fill={STAGE_COLORS[d.stage]} />
                ))}
                <LabelList dataKey="conversion" position="top" style={{ fontSize: 11, fill: '#555' }} />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </QueryState>
  );
}

type OverdueData = {
  totalCount: number;
  rows: { id: string; name: string; owner: string; stage: keyof typeof STAGE_COLORS; days: number }[];
};

/** The longest-overdue accounts (past their stage's dwell-time SLA), one bar each: one request. */
function OverdueChart({ query }: { query: UseQueryResult<OverdueData> }) {
  const translate = useTranslate();
  const navigate = useRedirect();
  return (
    <QueryState query={query}>
      {(overdue) => {
        if (!overdue.rows.length) return <EmptyState message={translate('dashboard.noOverdue')} />;
        return (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={overdue.rows} layout="vertical" margin={{ top: 8, right: 24, left: 8, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis
                type="number"
                allowDecimals={false}
                label={{ value: translate('dashboard.daysOverdue'), position: 'insideBottomRight', offset: -4, fontSize: 11 }}
                height={36}
              />
              <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} />
              <Tooltip
                formatter={(value) => [Math.round(Number(value)), translate('dashboard.daysOverdue')]}
                labelFormatter={(label, payload) => {
                  const row = payload?.[0]?.payload as OverdueData['rows'][number] | undefined;
                  return row ? `${label} · ${translate(`enums.LifecycleStage.${row.stage}`)} · ${row.owner}` : String(label);
                }}
              />
              <Bar
                dataKey="days"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry) => navigate(`/customers/${(entry as unknown as { id: string }).id}/show`)}
              >
                {overdue.rows.map((row) => (
                  <Cell key={row.id} fill={STAGE_COLORS[row.stage]} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </QueryState>
  );
}

type TargetRow = {
  id: string;
  name: string;
  plan: number | null;
  actual: number;
  newPlan: number | null;
  newActual: number;
  attainment: number | null;
};

/** Plan against actual revenue per top-level region for a year: one request. */
function TargetsChart({ query }: { query: UseQueryResult<TargetRow[]> }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <QueryState query={query}>
      {(rows) => {
        if (!rows.length) return <EmptyState />;
        return (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 8, left: 8, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
              <YAxis
                width={72}
                tickFormatter={(value: number) =>
                  new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { notation: 'compact' }).format(value)
                }
              />
              <Tooltip
                formatter={(value, name) => [formatMoney(String(value), 'CNY', locale), name]}
                labelFormatter={(label, payload) => {
                  const row = payload?.[0]?.payload as TargetRow | undefined;
                  if (!row) return String(label);
                  const customers = `${translate('dashboard.newCustomers')}: ${row.newActual}${row.newPlan !== null ? ` / ${row.newPlan}` : ''}`;
                  return `${label} · ${customers}${row.attainment !== null ? ` · ${formatPercent(row.attainment, locale)}` : ''}`;
                }}
              />
              <Legend />
              <Bar dataKey="plan" name={translate('dashboard.plan')} fill="#b0bec5" isAnimationActive={false} />
              <Bar dataKey="actual" name={translate('dashboard.actual')} fill="#1f4e79" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </QueryState>
  );
}

async function fetchRegionCounts(dataProvider: ConsoleDataProvider, signal: AbortSignal) {
  const regions = await dataProvider.getAll<RegionRecord>('regions', {
    filter: { kind: 'REGION' },
    sort: { field: 'path', order: 'ASC' },
    signal,
  });
  const counts = await dataProvider.batch(
    AdminCustomerCountDocument,
    regions.map((region) => ({ filter: { regionId: region.id } })),
    { signal },
  );
  return regions.map((region, index) => ({ region, count: counts[index]!.customers.totalCount }));
}

function RegionChart() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const translate = useTranslate();
  const navigate = useRedirect();
  const [locale] = useLocaleState();
  const query = useQuery({
    queryKey: ['customers', 'dashboard', 'regions'],
    queryFn: ({ signal }) => fetchRegionCounts(dataProvider, signal),
  });
  return (
    <QueryState query={query}>
      {(counts) => {
        const data = counts.map(({ region, count }) => ({ id: region.id, name: regionName(region, locale), count }));
        if (!data.length) return <EmptyState />;
        return (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={90} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(value) => [value as number, translate('dashboard.customers')]} />
              <Bar
                dataKey="count"
                fill="#1f4e79"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry) => navigate(listOf({ regionId: (entry as unknown as { id: string }).id }))}
              />
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </QueryState>
  );
}

function YearPicker({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const translate = useTranslate();
  const current = new Date().getFullYear();
  return (
    <TextField
      select
      size="small"
      label={translate('dashboard.year')}
      value={year}
      onChange={(event) => onChange(Number(event.target.value))}
      sx={{ minWidth: 96 }}
    >
      {[current, current - 1, current - 2].map((y) => (
        <MenuItem key={y} value={y}>
          {y}
        </MenuItem>
      ))}
    </TextField>
  );
}

function useDashboardQueries(year: number) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [locale] = useLocaleState();
  const funnel = useQuery({
    queryKey: ['customers', 'dashboard', 'funnel'],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminLifecycleFunnelDocument, {}, { signal })).lifecycleFunnel,
  });
  const overdue = useQuery({
    queryKey: ['customers', 'dashboard', 'overdue'],
    queryFn: async ({ signal }): Promise<OverdueData> => {
      const { overdueCustomers } = await dataProvider.execute(AdminOverdueCustomersDocument, { first: 10 }, { signal });
      return {
        totalCount: overdueCustomers.totalCount,
        rows: overdueCustomers.edges.map(({ node }) => ({
          id: node.customer.id,
          name: node.customer.legalName,
          owner: node.customer.owner.name,
          stage: node.stage,
          days: node.daysOverdue,
        })),
      };
    },
  });
  const targets = useQuery({
    queryKey: ['customers', 'dashboard', 'targets', year],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminTargetsReportDocument, { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` }, { signal }))
        .targetsReport,
    select: (report): TargetRow[] =>
      report.nodes
        .filter((node) => node.region.kind === 'REGION')
        .map((node) => ({
          id: node.region.id,
          name: regionName(node.region, locale),
          // Display only: the server's decimal strings as chart heights.
          plan: node.revenue.plan === null || node.revenue.plan === undefined ? null : Number(node.revenue.plan),
          actual: Number(node.revenue.actual),
          newPlan: node.newCustomers.plan ?? null,
          newActual: node.newCustomers.actual,
          attainment: node.revenue.attainment ?? null,
        })),
  });
  const cycles = useQuery({
    queryKey: ['evaluationCycles', 'dashboard'],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminDashboardCyclesDocument, {}, { signal })).evaluationCycles.edges.map((edge) => edge.node),
  });
  return { funnel, overdue, targets, cycles };
}

/**
 * Every chart is one request over the live API. The two evaluation charts share one
 * `evaluationDistribution` of the newest published (else computed) cycle, found by one small
 * cycles request; the region chart reads the regions, then counts them in one batch.
 */
export function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const { funnel, overdue, targets, cycles } = useDashboardQueries(year);
  // The newest published cycle, else the newest computed one.
  const cycle = cycles.data?.find((c) => c.status === 'PUBLISHED') ?? cycles.data?.find((c) => c.status === 'COMPUTED');
  const distribution = useDistribution(cycle?.id);
  const cycleSubheader = cycle ? translate('dashboard.cycle', { name: cycle.name }) : undefined;
  const evaluationChart = (render: (d: Distribution) => ReactNode) => (
    <QueryState query={cycles}>
      {/* No computed cycle yet: the evaluation charts say so instead of loading. */}
      {() => (cycle ? <QueryState query={distribution}>{render}</QueryState> : <EmptyState message={translate('dashboard.noCycle')} />)}
    </QueryState>
  );
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="dashboard.title" />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {identity?.fullName ? translate('dashboard.welcome', { name: identity.fullName }) : translate('dashboard.title')}
      </Typography>
      <Grid container spacing={2}>
        <DashboardChart queries={[funnel]}>
          <ChartCard
            title={translate('dashboard.funnel')}
            subheader={funnel.data ? translate('dashboard.total', { count: funnel.data.total }) : undefined}
            testId="chart-funnel"
          >
            <FunnelChart query={funnel} />
          </ChartCard>
        </DashboardChart>
        <DashboardChart queries={[overdue]}>
          <ChartCard
            title={translate('dashboard.overdue')}
            subheader={overdue.data ? translate('dashboard.overdueCount', { count: overdue.data.totalCount }) : undefined}
            testId="chart-overdue"
          >
            <OverdueChart query={overdue} />
          </ChartCard>
        </DashboardChart>
        <DashboardChart queries={[cycles, distribution]}>
          <ChartCard title={translate('dashboard.quadrants')} subheader={cycleSubheader} testId="chart-quadrants">
            {evaluationChart((d) => (
              <QuadrantChart distribution={d} />
            ))}
          </ChartCard>
        </DashboardChart>
        <DashboardChart queries={[cycles, distribution]}>
          <ChartCard title={translate('dashboard.grades')} subheader={cycleSubheader} testId="chart-grades">
            {evaluationChart((d) => (
              <GradeChart distribution={d} />
            ))}
          </ChartCard>
        </DashboardChart>
        <DashboardChart queries={[targets]}>
          <ChartCard title={translate('dashboard.targets')} action={<YearPicker year={year} onChange={setYear} />} testId="chart-targets">
            <TargetsChart query={targets} />
          </ChartCard>
        </DashboardChart>
        <Grid size={{ xs: 12, md: 6 }}>
          <ChartCard title={translate('dashboard.byRegion')} testId="chart-regions">
            <RegionChart />
          </ChartCard>
        </Grid>
      </Grid>
    </Box>
  );
}

export default Dashboard;
