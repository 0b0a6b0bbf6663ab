import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { useQuery } from '@tanstack/react-query';
import { Title, useDataProvider, useParams, useTranslate } from 'react-admin';
import { AdminMergeDocument } from '../../../schema/generated/graphql';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { MergeOutcome } from './MergeOutcome';

/** One merge (`#/merges/:id/show`): what moved, and Undo while allowed. */
export function MergeShow() {
  const translate = useTranslate();
  const { id } = useParams<{ id: string }>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const merge = useQuery({
    queryKey: ['merges', 'one', id],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminMergeDocument, { id: id! }, { signal })).merge,
    enabled: Boolean(id),
  });
  return (
    <Box sx={{ mt: 2, minWidth: 0 }}>
      <Title title="resources.merges.title" />
      {merge.isPending ? (
        <LoadingState />
      ) : merge.error ? (
        <ErrorState error={merge.error} onRetry={() => void merge.refetch()} />
      ) : merge.data ? (
        <MergeOutcome merge={merge.data} />
      ) : (
        <Alert severity="warning">{translate('ra.notification.item_doesnt_exist')}</Alert>
      )}
    </Box>
  );
}

export default MergeShow;
