import Box from '@mui/material/Box';
import type { ReactNode } from 'react';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Title, useDataProvider, useGetIdentity, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import { AdminCustomerCountDocument, AdminLifecycleCountsDocument, type AdminLifecycleCountsQuery, type LifecycleStage } from '../../../schema/generated/graphql';
import { STAGE_COLORS } from '../common/enums';
import { regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import type { RegionRecord } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const STAGE_ALIASES: readonly (readonly [Exclude<keyof AdminLifecycleCountsQuery, '__typename'>, LifecycleStage])[] = [
  ['potential', 'POTENTIAL'],
  ['intention', 'INTENTION'],
  ['firstPurchase', 'FIRST_PURCHASE'],
  ['repeat', 'REPEAT'],
  ['dormant', 'DORMANT'],
  ['lost', 'LOST'],
];

function fetchStageCounts(dataProvider: ConsoleDataProvider, signal: AbortSignal) {
  // One request: six `customers(filter: { stages: [X] }) { totalCount }` aliases.
  return dataProvider.execute(AdminLifecycleCountsDocument, {}, { signal });
}

async function fetchRegionCounts(dataProvider: ConsoleDataProvider, signal: AbortSignal) {
  const regions = await dataProvider.getAll<RegionRecord>('regions', { filter: { kind: 'REGION' }, sort: { field: 'path', order: 'ASC' }, signal });
  const counts = await dataProvider.batch(AdminCustomerCountDocument, regions.map((region) => ({ filter: { regionId: region.id } })), { signal });
  return regions.map((region, index) => ({ region, count: counts[index]!.customers.totalCount }));
}

function ChartCard({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Card sx={{ height: '100%' }} data-testid={testId}>
      <CardHeader title={title} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ height: 320, pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

function StageChart() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const translate = useTranslate();
  const navigate = useRedirect();
  const query = useQuery({ queryKey: ['customers', 'dashboard', 'stages'], queryFn: ({ signal }) => fetchStageCounts(dataProvider, signal) });
  if (query.isPending) return <LoadingState />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = STAGE_ALIASES.map(([alias, stage]) => ({ stage, name: translate(`enums.LifecycleStage.${stage}`), count: query.data[alias].totalCount }));
  if (data.every((d) => d.count === 0)) return <EmptyState />;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
        <YAxis allowDecimals={false} width={48} />
        <Tooltip formatter={(value) => [value as number, translate('dashboard.customers')]} />
        <Bar
          dataKey="count"
          isAnimationActive={false}
          cursor="pointer"
          onClick={(entry) => navigate(`/customers?filter=${encodeURIComponent(JSON.stringify({ lifecycleStage: (entry as unknown as { stage: string }).stage }))}`)}
        >
          {data.map((d) => (
            <Cell key={d.stage} fill={STAGE_COLORS[d.stage]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

function RegionChart() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const translate = useTranslate();
  const navigate = useRedirect();
  const [locale] = useLocaleState();
  const query = useQuery({ queryKey: ['customers', 'dashboard', 'regions'], queryFn: ({ signal }) => fetchRegionCounts(dataProvider, signal) });
  if (query.isPending) return <LoadingState />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data.map(({ region, count }) => ({ id: region.id, name: regionName(region, locale), count }));
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
          onClick={(entry) => navigate(`/customers?filter=${encodeURIComponent(JSON.stringify({ regionId: (entry as unknown as { id: string }).id }))}`)}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Charts over the live API; evaluation and funnel charts join here when the API serves them. */
export function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="dashboard.title" />
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {identity?.fullName ? translate('dashboard.welcome', { name: identity.fullName }) : translate('dashboard.title')}
      </Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <ChartCard title={translate('dashboard.byStage')} testId="chart-stages">
            <StageChart />
          </ChartCard>
        </Grid>
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
