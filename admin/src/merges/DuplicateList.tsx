import CallMerge from '@mui/icons-material/CallMerge';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Title, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { AdminDuplicateCandidatesDocument, type AdminDuplicateCandidatesQuery } from '../../../schema/generated/graphql';
import { formatPercent, regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import type { MergeSide } from './mergeFields';
import { MergeHistory } from './MergeHistory';

type Candidate = AdminDuplicateCandidatesQuery['duplicateCandidates']['edges'][number]['node'];
const PAGE = 25;

function Side({ side }: { side: MergeSide }) {
  const [locale] = useLocaleState();
  return (
    <Box sx={{ minWidth: 0 }}>
      <Link to={`/customers/${side.id}/show`}>
        <Typography variant="body2" component="span" sx={{ fontWeight: 500, wordBreak: 'break-word' }}>
          {side.legalName}
        </Typography>
      </Link>
      <Typography variant="caption" component="p" color="text.secondary">
        {regionName(side.territory, locale)} · {side.owner?.name ?? '—'}
      </Typography>
    </Box>
  );
}

/** Why the pair looks like one company, in words; the name similarity as a percentage. */
export function Reasons({ candidate }: { candidate: Pick<Candidate, 'reasons' | 'nameSimilarity'> }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
      {candidate.reasons.map((reason) => (
        <Chip
          key={reason}
          size="small"
          variant="outlined"
          label={translate(`resources.duplicateCandidates.reasons.${reason}`, {
            similarity: formatPercent(candidate.nameSimilarity, locale),
          })}
        />
      ))}
    </Stack>
  );
}

function Candidates() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const pages = useInfiniteQuery({
    queryKey: ['duplicateCandidates', 'pages'],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) =>
      (await dataProvider.execute(AdminDuplicateCandidatesDocument, { first: PAGE, after: pageParam }, { signal })).duplicateCandidates,
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? (last.pageInfo.endCursor ?? null) : undefined),
  });
  if (pages.isPending) return <LoadingState />;
  if (pages.error) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  const list = pages.data.pages.flatMap((page) => page.edges.map((edge) => edge.node));
  if (!list.length && !pages.hasNextPage) return <EmptyState message={translate('resources.duplicateCandidates.empty')} />;
  return (
    <>
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="duplicate-table" aria-label={translate('resources.duplicateCandidates.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.duplicateCandidates.pair')}</TableCell>
              <TableCell sx={{ width: 120 }}>{translate('resources.duplicateCandidates.score')}</TableCell>
              <TableCell>{translate('resources.duplicateCandidates.reasonsLabel')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {list.map((candidate) => (
              <TableRow key={candidate.id} data-testid="duplicate-row" sx={{ verticalAlign: 'top' }}>
                <TableCell sx={{ minWidth: 200 }}>
                  <Stack spacing={1}>
                    <Side side={candidate.first} />
                    <Side side={candidate.second} />
                  </Stack>
                </TableCell>
                <TableCell>
                  <Typography variant="body2">{formatPercent(candidate.score, locale)}</Typography>
                  <LinearProgress
                    variant="determinate"
                    value={Math.round(candidate.score * 100)}
                    color={candidate.score >= 0.8 ? 'warning' : 'primary'}
                    aria-label={translate('resources.duplicateCandidates.score')}
                  />
                </TableCell>
                <TableCell sx={{ minWidth: 160 }}>
                  <Reasons candidate={candidate} />
                </TableCell>
                <TableCell align="right">
                  <Button
                    component={Link}
                    to={`/merges/create?first=${encodeURIComponent(candidate.first.id)}&second=${encodeURIComponent(candidate.second.id)}`}
                    size="small"
                    variant="outlined"
                    startIcon={<CallMerge />}
                    sx={{ whiteSpace: 'nowrap' }}
                  >
                    {translate('resources.duplicateCandidates.compare')}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {pages.hasNextPage ? (
        <Box sx={{ textAlign: 'center', mt: 1 }}>
          <Button size="small" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
            {translate('resources.duplicateCandidates.more')}
          </Button>
        </Box>
      ) : null}
    </>
  );
}

/** Likely duplicates among the accounts the viewer may edit, and the merges made so far. */
export function DuplicateList() {
  const translate = useTranslate();
  const [tab, setTab] = useState<'candidates' | 'history'>('candidates');
  return (
    <Box sx={{ mt: 2, minWidth: 0 }}>
      <Title title="resources.duplicateCandidates.title" />
      <Card>
        <CardContent>
          <Typography variant="subtitle1">{translate('resources.duplicateCandidates.title')}</Typography>
          <Typography variant="body2" color="text.secondary">
            {translate('resources.duplicateCandidates.help')}
          </Typography>
          <Tabs value={tab} onChange={(_event, next) => setTab(next)} sx={{ mb: 1 }}>
            <Tab value="candidates" label={translate('resources.duplicateCandidates.tabs.candidates')} />
            <Tab value="history" label={translate('resources.duplicateCandidates.tabs.history')} />
          </Tabs>
          {tab === 'candidates' ? <Candidates /> : <MergeHistory />}
        </CardContent>
      </Card>
    </Box>
  );
}

export default DuplicateList;
