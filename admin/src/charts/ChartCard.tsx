import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isUnknownApi } from '../providers/graphqlClient';
import { ErrorState, LoadingState } from '../common/states';

export function ChartCard({
  title,
  subheader,
  action,
  testId,
  height = 320,
  children,
}: {
  title: string;
  subheader?: ReactNode;
  action?: ReactNode;
  testId: string;
  height?: number;
  children: ReactNode;
}) {
  return (
    <Card sx={{ height: '100%' }} data-testid={testId}>
      <CardHeader
        title={title}
        subheader={subheader}
        action={action}
        slotProps={{ title: { variant: 'subtitle1' }, subheader: { variant: 'caption' } }}
      />
      <CardContent sx={{ height, pt: 0 }}>{children}</CardContent>
    </Card>
  );
}

/**
 * Loading and error states of a chart's one request. An API that does not serve the chart's
 * fields yet (an older server) answers GRAPHQL_VALIDATION_FAILED: the chart then hides itself.
 */
export function QueryState<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <LoadingState />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data as T)}</>;
}

/** True when the query failed because the API lacks the fields: the card is not shown at all. */
export function isHidden(query: { error: unknown }): boolean {
  return isUnknownApi(query.error);
}
