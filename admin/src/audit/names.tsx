import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { useCanAccess, useDataProvider } from 'react-admin';
import {
  AdminAuditApiKeyNameDocument,
  AdminAuditCustomerNameDocument,
  AdminAuditUserNameDocument,
  type AdminAuditEventFragment,
} from '../../../schema/generated/graphql';
import { useRegionTree } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an id under a key of `before`/`after` names, by the key's name. */
export type IdKind = 'user' | 'customer' | 'region' | 'apiKey';
const KINDS: [RegExp, IdKind][] = [
  [/apiKeyIds?$/i, 'apiKey'],
  [/customerIds?$/i, 'customer'],
  [/(territory|region|parent)Ids?$/i, 'region'],
  [/(owner|user|actor|by)Ids?$/i, 'user'],
];

export function idKind(key: string): IdKind | undefined {
  return KINDS.find(([pattern]) => pattern.test(key))?.[1];
}

type Event = Pick<AdminAuditEventFragment, 'entityType' | 'entityId' | 'before' | 'after'>;

export interface AuditNames {
  name(kind: IdKind, id: string): string | undefined;
}

const NO_NAMES: AuditNames = { name: () => undefined };
const AuditNamesContext = createContext<AuditNames>(NO_NAMES);

/** The ids of each kind a page of events names: its subjects and the ids in its changes. */
function idsOf(events: readonly Event[]): Record<Exclude<IdKind, 'region'>, string[]> {
  const ids = { user: new Set<string>(), customer: new Set<string>(), apiKey: new Set<string>() };
  for (const event of events) {
    if (event.entityId && event.entityType === 'Customer') ids.customer.add(event.entityId);
    if (event.entityId && event.entityType === 'ApiKey') ids.apiKey.add(event.entityId);
    for (const values of [event.before, event.after]) {
      for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        const kind = idKind(key);
        if (!kind || kind === 'region') continue;
        for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string' && UUID.test(id)) ids[kind].add(id);
      }
    }
  }
  return { user: [...ids.user].sort(), customer: [...ids.customer].sort(), apiKey: [...ids.apiKey].sort() };
}

/**
 * The names behind a page of events, looked up once for the page: one request per kind of id
 * (each id a root field aliased into it), regions from the shared tree. A kind the viewer may not
 * read (API keys, for managers) is not asked for; its ids stay ids.
 */
export function AuditNamesProvider({ events, children }: { events: readonly Event[] | undefined; children: ReactNode }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { tree } = useRegionTree();
  const { canAccess: readsApiKeys } = useCanAccess({ resource: 'apiKeys', action: 'show' });
  const ids = idsOf(events ?? []);
  if (!readsApiKeys) ids.apiKey = [];
  const lookup = useQuery({
    queryKey: ['auditEvents', 'names', ids],
    enabled: ids.user.length + ids.customer.length + ids.apiKey.length > 0,
    retry: false,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      // Each kind on its own: a refused or failed lookup leaves only its own ids unnamed.
      const named = <R,>(list: string[], run: (variables: { id: string }[]) => Promise<R[]>, pick: (row: R) => [string, string] | null) =>
        list.length
          ? run(list.map((id) => ({ id }))).then(
              (rows) => rows.map(pick).filter((pair): pair is [string, string] => pair !== null),
              () => [],
            )
          : Promise.resolve([]);
      const [users, customers, apiKeys] = await Promise.all([
        named(
          ids.user,
          (variables) => dataProvider.batch(AdminAuditUserNameDocument, variables, { signal }),
          (row) => (row.user ? [row.user.id, row.user.name] : null),
        ),
        named(
          ids.customer,
          (variables) => dataProvider.batch(AdminAuditCustomerNameDocument, variables, { signal }),
          (row) => (row.customer ? [row.customer.id, row.customer.legalName] : null),
        ),
        named(
          ids.apiKey,
          (variables) => dataProvider.batch(AdminAuditApiKeyNameDocument, variables, { signal }),
          (row) => (row.apiKey ? [row.apiKey.id, row.apiKey.name] : null),
        ),
      ]);
      return { user: new Map(users), customer: new Map(customers), apiKey: new Map(apiKeys) };
    },
  });
  const names: AuditNames = {
    name(kind, id) {
      if (kind === 'region') {
        const region = tree?.byId.get(id);
        return region ? tree!.label(region) : undefined;
      }
      return lookup.data?.[kind].get(id);
    },
  };
  return <AuditNamesContext.Provider value={names}>{children}</AuditNamesContext.Provider>;
}

export function useAuditNames(): AuditNames {
  return useContext(AuditNamesContext);
}
