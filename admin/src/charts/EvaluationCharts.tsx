import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { AdminEvaluationDistributionDocument, type AdminEvaluationDistributionFragment } from '../../../schema/generated/graphql';
import { QUADRANT_COLORS } from '../common/enums';
import { formatMoney, formatPercent } from '../common/format';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

export type Distribution = AdminEvaluationDistributionFragment;

/** A quadrant's tick: its numeral, and below it what it means ("I · loyal and profitable"). */
function QuadrantTick({
  x,
  y,
  payload,
  labels,
}: {
  x?: number | string;
  y?: number | string;
  payload?: { value: string };
  labels: Record<string, string>;
}) {
  const [numeral, meaning] = (labels[payload?.value ?? ''] ?? payload?.value ?? '').split(' · ');
  return (
    <text x={Number(x)} y={Number(y)} textAnchor="middle" fill="#555" fontSize={11}>
      <tspan x={Number(x)} dy="0.9em" fontWeight={600}>
        {numeral}
      </tspan>
      {meaning ? (
        <tspan x={Number(x)} dy="1.3em" fontSize={10}>
          {meaning}
        </tspan>
      ) : null}
    </text>
  );
}

const GRADE_COLORS = ['#1f4e79', '#2e7d32', '#66bb6a', '#42a5f5', '#90a4ae', '#b0bec5', '#cfd8dc'];
const percent = (value: number) => `${Math.round(value)}%`;

/** One request for every chart of a cycle's results; the dashboard and the cycle page share it. */
export function useDistribution(cycleId: string | null | undefined, regionId?: string | null) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['evaluationCycles', 'distribution', cycleId, regionId ?? null],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminEvaluationDistributionDocument, { cycleId: cycleId!, regionId: regionId ?? null }, { signal }))
        .evaluationDistribution,
    enabled: Boolean(cycleId),
  });
}

/** Share of customers per loyalty × profit quadrant, each against its healthy range. */
export function QuadrantChart({ distribution }: { distribution: Distribution }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!distribution.total) return <EmptyState message={translate('resources.evaluationCycles.distribution.none')} />;
  const labels = Object.fromEntries(distribution.quadrants.map((q) => [q.quadrant, translate(`enums.Quadrant.${q.quadrant}`)]));
  const data = distribution.quadrants.map((q) => ({
    quadrant: q.quadrant,
    name: translate(`enums.Quadrant.${q.quadrant}`),
    share: q.share * 100,
    target: [q.targetMin * 100, q.targetMax * 100] as [number, number],
    withinTarget: q.withinTarget,
    count: q.count,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }} barGap={2}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="quadrant" interval={0} height={40} tick={<QuadrantTick labels={labels} />} />
        <YAxis tickFormatter={percent} width={52} domain={[0, 100]} />
        <Tooltip
          labelFormatter={(_label, payload) => (payload?.[0]?.payload as { name?: string } | undefined)?.name ?? ''}
          formatter={(value, name) =>
            Array.isArray(value)
              ? [`${formatPercent(Number(value[0]) / 100, locale)} – ${formatPercent(Number(value[1]) / 100, locale)}`, name]
              : [formatPercent(Number(value) / 100, locale), name]
          }
        />
        <Legend />
        <Bar
          dataKey="target"
          name={translate('resources.evaluationCycles.distribution.target')}
          fill="#a5d6a7"
          barSize={28}
          isAnimationActive={false}
        />
        {/* Bars inside the healthy range take the quadrant's colour, the others red. */}
        <Bar
          dataKey="share"
          name={translate('resources.evaluationCycles.distribution.share')}
          fill="#1f4e79"
          barSize={28}
          isAnimationActive={false}
        >
          {data.map((d) => (
            <Cell key={d.quadrant} fill={d.withinTarget ? QUADRANT_COLORS[d.quadrant] : '#e53935'} />
          ))}
        </Bar>
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Customers per grade, best grade first, then ungraded. */
export function GradeChart({ distribution }: { distribution: Distribution }) {
  const translate = useTranslate();
  if (!distribution.total) return <EmptyState message={translate('resources.evaluationCycles.distribution.none')} />;
  const data = distribution.grades.map((g, index) => ({
    name: g.grade ?? translate('resources.evaluationCycles.distribution.ungraded'),
    count: g.count,
    share: g.share,
    color: g.grade ? GRADE_COLORS[index % GRADE_COLORS.length] : '#cfd8dc',
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
        <YAxis allowDecimals={false} width={44} />
        <Tooltip formatter={(value) => [value as number, translate('resources.evaluationCycles.distribution.customers')]} />
        <Bar dataKey="count" fill="#1f4e79" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.name} fill={d.color} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The 80/20 view: the revenue of the top 20% of customers against the rest. */
export function ParetoChart({ distribution }: { distribution: Distribution }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { pareto } = distribution;
  const total = Number(pareto.totalRevenue);
  if (!distribution.total || !(total > 0)) return <EmptyState message={translate('resources.evaluationCycles.distribution.noRevenue')} />;
  // Display only: the two slices of the server's totals.
  const top = Number(pareto.topRevenue);
  const data = [
    {
      name: translate('resources.evaluationCycles.distribution.topCustomers', { count: pareto.topCustomers }),
      value: top,
      fill: '#1f4e79',
    },
    {
      name: translate('resources.evaluationCycles.distribution.rest', { count: Math.max(0, distribution.total - pareto.topCustomers) }),
      value: Math.max(0, total - top),
      fill: '#b0bec5',
    },
  ];
  return (
    <Box sx={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
      <Typography variant="body2" sx={{ mb: 1 }} data-testid="pareto-summary">
        {translate('resources.evaluationCycles.distribution.paretoSummary', {
          count: pareto.topCustomers,
          share: formatPercent(pareto.revenueShare, locale),
        })}
      </Typography>
      <Box sx={{ flex: 1, minHeight: 0 }}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie data={data} dataKey="value" nameKey="name" innerRadius="50%" outerRadius="80%" isAnimationActive={false} />
            <Tooltip formatter={(value) => formatMoney(String(value), 'CNY', locale)} />
            <Legend />
          </PieChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  );
}

/** Customers per value tier (MVC, MGC, below zero, none). */
export function ValueTierChart({ distribution }: { distribution: Distribution }) {
  const translate = useTranslate();
  if (!distribution.total) return <EmptyState message={translate('resources.evaluationCycles.distribution.none')} />;
  const colors: Record<string, string> = { MVC: '#2e7d32', MGC: '#42a5f5', BELOW_ZERO: '#e53935' };
  const data = distribution.valueTiers.map((t) => ({
    key: t.tier ?? 'NONE',
    name: t.tier ? translate(`enums.ValueTier.${t.tier}`) : translate('resources.evaluationCycles.distribution.noTier'),
    count: t.count,
  }));
  // Tier names are long: bars run sideways with the names on the left.
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 16, left: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="name" width={120} tick={{ fontSize: 11 }} interval={0} />
        <Tooltip formatter={(value) => [value as number, translate('resources.evaluationCycles.distribution.customers')]} />
        <Bar dataKey="count" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.key} fill={colors[d.key] ?? '#90a4ae'} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Grade movement against the previous published cycle. */
export function MovementChart({ distribution }: { distribution: Distribution }) {
  const translate = useTranslate();
  if (!distribution.total) return <EmptyState message={translate('resources.evaluationCycles.distribution.none')} />;
  const colors: Record<string, string> = { UP: '#2e7d32', SAME: '#90a4ae', DOWN: '#e53935', NEW: '#42a5f5' };
  const data = distribution.movements.map((m) => ({
    key: m.movement,
    name: translate(`enums.GradeMovement.${m.movement}`),
    count: m.count,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
        <YAxis allowDecimals={false} width={44} />
        <Tooltip formatter={(value) => [value as number, translate('resources.evaluationCycles.distribution.customers')]} />
        <Bar dataKey="count" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.key} fill={colors[d.key] ?? '#90a4ae'} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
