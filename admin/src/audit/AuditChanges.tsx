import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useGetMany, useLocaleState } from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { formatDateTime } from '../common/format';
import { useRegionTree } from '../common/useRegions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const USER_KEY = /(owner|user|actor|by)Ids?$/i;
const REGION_KEY = /(territory|region|parent)Ids?$/i;
const CUSTOMER_KEY = /customerIds?$/i;

type Names = (key: string, id: string) => string | undefined;

function idsUnder(values: Record<string, unknown>[], pattern: RegExp): string[] {
  const ids = new Set<string>();
  for (const value of values) {
    for (const [key, item] of Object.entries(value)) {
      if (!pattern.test(key)) continue;
      for (const id of Array.isArray(item) ? item : [item]) if (typeof id === 'string' && UUID.test(id)) ids.add(id);
    }
  }
  return [...ids];
}

/** The names behind the ids an event names: users and customers fetched in one batch each, regions from the shared tree. */
function useNames(values: Record<string, unknown>[]): Names {
  const { tree } = useRegionTree();
  const userIds = idsUnder(values, USER_KEY);
  const customerIds = idsUnder(values, CUSTOMER_KEY);
  const users = useGetMany<{ id: string; name: string }>('users', { ids: userIds }, { enabled: userIds.length > 0, retry: false });
  const customers = useGetMany<{ id: string; legalName: string }>(
    'customers',
    { ids: customerIds },
    { enabled: customerIds.length > 0, retry: false },
  );
  return (key, id) => {
    if (REGION_KEY.test(key)) {
      const region = tree?.byId.get(id);
      return region ? tree!.label(region) : undefined;
    }
    if (USER_KEY.test(key)) return users.data?.find((user) => user.id === id)?.name;
    if (CUSTOMER_KEY.test(key)) return customers.data?.find((customer) => customer.id === id)?.legalName;
    return undefined;
  };
}

function show(key: string, value: unknown, names: Names, locale: string): string {
  if (value === undefined) return '∅';
  if (value === null) return '—';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item) => show(key, item, names, locale)).join(', ') || '—';
  if (typeof value === 'string') {
    if (UUID.test(value)) return names(key, value) ?? `${value.slice(0, 8)}…`;
    if (INSTANT.test(value)) return formatDateTime(value, locale);
    return value;
  }
  return JSON.stringify(value);
}

/** An audit event's before and after, key by key, with names for ids and local dates: `ownerId: Guo Guangzhou → Hu Hangzhou`. */
export function AuditChanges({ event }: { event: Pick<AdminAuditEventFragment, 'before' | 'after'> }) {
  const [locale] = useLocaleState();
  const before = (event.before ?? {}) as Record<string, unknown>;
  const after = (event.after ?? {}) as Record<string, unknown>;
  const names = useNames([before, after]);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!keys.length) return <>—</>;
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1, fontSize: 12 }}>
      {keys.map((key) => {
        const changed = key in before && key in after;
        return (
          <Box key={key} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
              {key}
            </Typography>
            <Typography component="dd" variant="caption" sx={{ m: 0, wordBreak: 'break-word' }}>
              {changed
                ? `${show(key, before[key], names, locale)} → ${show(key, after[key], names, locale)}`
                : show(key, key in after ? after[key] : before[key], names, locale)}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
