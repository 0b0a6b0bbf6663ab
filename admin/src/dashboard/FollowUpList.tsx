import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import { useQuery } from '@tanstack/react-query';
import { Link, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { AdminFollowUpsDocument } from '../../../schema/generated/graphql';
import { QueryState } from '../charts/ChartCard';
import { formatDateTime } from '../common/format';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

/** Days the list looks ahead, today included. */
export const FOLLOW_UP_DAYS = 14;

/** A local calendar day moved by `days`, as YYYY-MM-DD: follow-up dates are the rep's calendar days. */
export function localDay(days = 0, now = new Date()): string {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function useFollowUps() {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const dueBefore = localDay(FOLLOW_UP_DAYS + 1);
  return useQuery({
    queryKey: ['interactions', 'dashboard', 'followUps', dueBefore],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminFollowUpsDocument, { first: 20, dueBefore }, { signal })).followUps,
  });
}

/** The viewer's follow-ups on the accounts they own, overdue first, then the next 14 days; each opens its account. */
export function FollowUpList({ query }: { query: ReturnType<typeof useFollowUps> }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const today = localDay();
  return (
    <QueryState query={query}>
      {(followUps) => {
        if (!followUps.edges.length) return <EmptyState message={translate('dashboard.noFollowUps')} />;
        return (
          <List dense disablePadding sx={{ height: '100%', overflowY: 'auto' }} aria-label={translate('dashboard.followUps')}>
            {followUps.edges.map(({ node }) => {
              const overdue = !!node.followUpOn && node.followUpOn < today;
              return (
                <ListItemButton key={node.id} component={Link} to={`/customers/${node.customer.id}/show`} divider>
                  <ListItemText
                    primary={node.customer.legalName}
                    secondary={node.nextStep || node.summary}
                    slotProps={{ secondary: { noWrap: true } }}
                  />
                  <Chip
                    size="small"
                    sx={{ ml: 1, flexShrink: 0 }}
                    color={overdue ? 'error' : node.followUpOn === today ? 'warning' : 'default'}
                    label={`${overdue ? `${translate('dashboard.overdueTag')} · ` : ''}${formatDateTime(node.followUpOn, locale, false)}`}
                  />
                </ListItemButton>
              );
            })}
          </List>
        );
      }}
    </QueryState>
  );
}
