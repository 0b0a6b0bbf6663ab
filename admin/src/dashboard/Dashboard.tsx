import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Title, useDataProvider, useGetIdentity, useLocaleState, usePermissions, useRedirect, useTranslate } from 'react-admin';
import {
  AdminCustomerCountDocument,
  AdminDashboardCyclesDocument,
  AdminLifecycleFunnelDocument,
  AdminOverdueCustomersDocument,
  AdminTargetsReportDocument,
  type Role,
} from '../../../schema/generated/graphql';
import { ChartCard, QueryState, isHidden } from '../charts/ChartCard';
import { GradeChart, QuadrantChart, useDistribution, type Distribution } from '../charts/EvaluationCharts';
import { STAGE_COLORS } from '../common/enums';
import { formatMoney, formatPercent, regionName } from '../common/format';
import { EmptyState, LoadingState } from '../common/states';
import type { RegionRecord } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { BreakdownChart, useBreakdown } from './BreakdownChart';
import { FollowUpList, useFollowUps } from './FollowUpList';

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

/**
 * What the dashboard shows of the targets report: admins the top-level regions, managers each rep
 * within their regions, a rep themselves.
 */
type TargetsView = { by: 'REGION' } | { by: 'USER'; userId?: string };

/** The queries every role's dashboard shares; `ownerId` narrows the funnel and the overdue accounts to one owner's. */
function useDashboardQueries(year: number, targetsView: TargetsView, ownerId?: string) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [locale] = useLocaleState();
  const funnel = useQuery({
    queryKey: ['customers', 'dashboard', 'funnel', ownerId ?? null],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminLifecycleFunnelDocument, { ownerId }, { signal })).lifecycleFunnel,
  });
  const overdue = useQuery({
    queryKey: ['customers', 'dashboard', 'overdue', ownerId ?? null],
    queryFn: async ({ signal }): Promise<OverdueData> => {
      const { overdueCustomers } = await dataProvider.execute(AdminOverdueCustomersDocument, { first: 10, ownerId }, { signal });
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
    // Display only: the server's decimal strings as chart heights.
    select: (report): TargetRow[] =>
      targetsView.by === 'REGION'
        ? report.nodes
            .filter((node) => node.region.kind === 'REGION')
            .map((node) => ({
              id: node.region.id,
              name: regionName(node.region, locale),
              plan: node.revenue.plan === null || node.revenue.plan === undefined ? null : Number(node.revenue.plan),
              actual: Number(node.revenue.actual),
              newPlan: node.newCustomers.plan ?? null,
              newActual: node.newCustomers.actual,
              attainment: node.revenue.attainment ?? null,
            }))
        : report.users
            .filter((row) => !targetsView.userId || row.user.id === targetsView.userId)
            .map((row) => ({
              id: row.user.id,
              name: row.user.name,
              plan: row.revenue.plan === null || row.revenue.plan === undefined ? null : Number(row.revenue.plan),
              actual: Number(row.revenue.actual),
              newPlan: row.newCustomers.plan ?? null,
              newActual: row.newCustomers.actual,
              attainment: row.revenue.attainment ?? null,
            })),
  });
  return { funnel, overdue, targets };
}

function useCycles() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['evaluationCycles', 'dashboard'],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminDashboardCyclesDocument, {}, { signal })).evaluationCycles.edges.map((edge) => edge.node),
  });
}

/** Cards every role sees: the funnel, the overdue accounts and targets against actuals, each scoped as the role's view says. */
function SharedCards({
  queries,
  year,
  onYear,
  titles,
}: {
  queries: ReturnType<typeof useDashboardQueries>;
  year: number;
  onYear: (year: number) => void;
  titles: { funnel: string; overdue: string; targets: string };
}) {
  const translate = useTranslate();
  const { funnel, overdue, targets } = queries;
  return (
    <>
      <DashboardChart queries={[funnel]}>
        <ChartCard
          title={translate(titles.funnel)}
          subheader={funnel.data ? translate('dashboard.total', { count: funnel.data.total }) : undefined}
          testId="chart-funnel"
        >
          <FunnelChart query={funnel} />
        </ChartCard>
      </DashboardChart>
      <DashboardChart queries={[overdue]}>
        <ChartCard
          title={translate(titles.overdue)}
          subheader={overdue.data ? translate('dashboard.overdueCount', { count: overdue.data.totalCount }) : undefined}
          testId="chart-overdue"
        >
          <OverdueChart query={overdue} />
        </ChartCard>
      </DashboardChart>
      <DashboardChart queries={[targets]}>
        <ChartCard title={translate(titles.targets)} action={<YearPicker year={year} onChange={onYear} />} testId="chart-targets">
          <TargetsChart query={targets} />
        </ChartCard>
      </DashboardChart>
    </>
  );
}

/** A rep: their follow-ups, their own funnel and overdue accounts, their targets against actuals. */
function RepDashboard({ me }: { me: string }) {
  const translate = useTranslate();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const queries = useDashboardQueries(year, { by: 'USER', userId: me }, me);
  const followUps = useFollowUps();
  return (
    <Grid container spacing={2}>
      <DashboardChart queries={[followUps]}>
        <ChartCard
          title={translate('dashboard.followUps')}
          subheader={followUps.data ? translate('dashboard.followUpsCount', { count: followUps.data.totalCount }) : undefined}
          testId="card-follow-ups"
        >
          <FollowUpList query={followUps} />
        </ChartCard>
      </DashboardChart>
      <SharedCards
        queries={queries}
        year={year}
        onYear={setYear}
        titles={{ funnel: 'dashboard.myFunnel', overdue: 'dashboard.myOverdue', targets: 'dashboard.myTargets' }}
      />
    </Grid>
  );
}

/** A manager: their regions by province and by rep, each rep's targets, the funnel and overdue accounts of their regions. */
function ManagerDashboard() {
  const translate = useTranslate();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const queries = useDashboardQueries(year, { by: 'USER' });
  const byProvince = useBreakdown('PROVINCE');
  const byOwner = useBreakdown('OWNER');
  return (
    <Grid container spacing={2}>
      <DashboardChart queries={[byProvince]}>
        <ChartCard title={translate('dashboard.byProvince')} testId="chart-by-province">
          <BreakdownChart by="PROVINCE" query={byProvince} />
        </ChartCard>
      </DashboardChart>
      <DashboardChart queries={[byOwner]}>
        <ChartCard title={translate('dashboard.byRep')} testId="chart-by-rep">
          <BreakdownChart by="OWNER" query={byOwner} />
        </ChartCard>
      </DashboardChart>
      <SharedCards
        queries={queries}
        year={year}
        onYear={setYear}
        titles={{ funnel: 'dashboard.funnel', overdue: 'dashboard.overdue', targets: 'dashboard.targetsPerRep' }}
      />
    </Grid>
  );
}

/**
 * The company, for admins. Every chart is one request over the live API. The two evaluation
 * charts share one `evaluationDistribution` of the newest published (else computed) cycle, found
 * by one small cycles request; the region chart reads the regions, then counts them in one batch.
 */
function CompanyDashboard() {
  const translate = useTranslate();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const queries = useDashboardQueries(year, { by: 'REGION' });
  const cycles = useCycles();
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
    <Grid container spacing={2}>
      <SharedCards
        queries={queries}
        year={year}
        onYear={setYear}
        titles={{ funnel: 'dashboard.funnel', overdue: 'dashboard.overdue', targets: 'dashboard.targets' }}
      />
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
      <Grid size={{ xs: 12, md: 6 }}>
        <ChartCard title={translate('dashboard.byRegion')} testId="chart-regions">
          <RegionChart />
        </ChartCard>
      </Grid>
    </Grid>
  );
}

/** One dashboard per role (react-admin permissions); row-level security scopes every figure on the server. */
export function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { permissions, isPending } = usePermissions<Role>();
  const body =
    isPending || !identity ? (
      <LoadingState />
    ) : permissions === 'ADMIN' ? (
      <CompanyDashboard />
    ) : permissions === 'MANAGER' ? (
      <ManagerDashboard />
    ) : (
      <RepDashboard me={String(identity.id)} />
    );
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="dashboard.title" />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {identity?.fullName ? translate('dashboard.welcome', { name: identity.fullName }) : translate('dashboard.title')}
      </Typography>
      {body}
    </Box>
  );
}

export default Dashboard;
