import { useQuery } from '@tanstack/react-query';
import { Create, useDataProvider } from 'react-admin';
import { AdminCyclePeriodsDocument } from '../../../schema/generated/graphql';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { CycleForm } from './CycleForm';

/** A new cycle, proposed for a period no existing cycle covers (the form waits for the periods taken). */
export function CycleCreate() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const periods = useQuery({
    queryKey: ['evaluationCycles', 'periods'],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminCyclePeriodsDocument, {}, { signal })).evaluationCycles.edges.map((edge) => edge.node),
  });
  if (periods.isPending) return <LoadingState />;
  if (periods.error) return <ErrorState error={periods.error} onRetry={() => void periods.refetch()} />;
  return (
    <Create redirect="show">
      <CycleForm taken={periods.data} />
    </Create>
  );
}

export default CycleCreate;
