import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useQuery } from '@tanstack/react-query';
import { Link, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { AdminMergesDocument } from '../../../schema/generated/graphql';
import { formatDateTime } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { useUndoable, type MergeRecord } from './MergeOutcome';

function UndoState({ merge }: { merge: MergeRecord }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const undoable = useUndoable(merge);
  if (merge.undoneAt) return <Chip size="small" label={translate('resources.merges.history.undone')} />;
  return undoable ? (
    <Button component={Link} to={`/merges/${merge.id}/show`} size="small">
      {translate('resources.merges.undo')}
    </Button>
  ) : (
    <>{formatDateTime(merge.undoableUntil, locale)}</>
  );
}

/** The latest merges whose record that stays the viewer may open, newest first. */
export function MergeHistory() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const merges = useQuery({
    queryKey: ['merges', 'history'],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminMergesDocument, { first: 50 }, { signal })).merges,
  });
  if (merges.isPending) return <LoadingState />;
  if (merges.error) return <ErrorState error={merges.error} onRetry={() => void merges.refetch()} />;
  const list = merges.data.edges.map((edge) => edge.node);
  if (!list.length) return <EmptyState message={translate('resources.merges.history.empty')} />;
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="merge-history">
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.merges.history.survivor')}</TableCell>
            <TableCell align="right">{translate('resources.merges.history.mergedCount')}</TableCell>
            <TableCell>{translate('resources.merges.history.mergedAt')}</TableCell>
            <TableCell>{translate('resources.merges.history.state')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {list.map((merge) => (
            <TableRow key={merge.id}>
              <TableCell>
                <Link to={`/merges/${merge.id}/show`}>{merge.survivor?.legalName ?? translate('resources.merges.history.open')}</Link>
              </TableCell>
              <TableCell align="right">{merge.mergedIds.length}</TableCell>
              <TableCell>{formatDateTime(merge.mergedAt, locale)}</TableCell>
              <TableCell>
                <UndoState merge={merge} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
