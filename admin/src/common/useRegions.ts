import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useDataProvider, useLocaleState } from 'react-admin';
import { AdminMyPlacesDocument, type AdminRegionFragment, type RegionKind } from '../../../schema/generated/graphql';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { regionName } from './format';

export type RegionRecord = AdminRegionFragment & { parentId: string | null };

export interface RegionTree {
  all: RegionRecord[];
  byId: Map<string, RegionRecord>;
  childrenOf(id: string | null): RegionRecord[];
  roots: RegionRecord[];
  ofKind(kind: RegionKind): RegionRecord[];
  /** "East › Zhejiang › Hangzhou" in the console's language. */
  label(region: RegionRecord): string;
}

/** react-admin invalidates queries by resource, so this key follows writes to regions. */
export const REGION_TREE_KEY = ['regions', 'tree'] as const;

export function buildRegionTree(all: RegionRecord[], locale: string): RegionTree {
  const byId = new Map(all.map((region) => [region.id, region]));
  const children = new Map<string | null, RegionRecord[]>();
  for (const region of all) {
    const parent = region.parentId && byId.has(region.parentId) ? region.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(region);
    children.set(parent, list);
  }
  const byName = (a: RegionRecord, b: RegionRecord) =>
    regionName(a, locale).localeCompare(regionName(b, locale), locale === 'zh' ? 'zh-CN' : 'en');
  for (const list of children.values()) list.sort(byName);
  const label = (region: RegionRecord): string => {
    const names: string[] = [];
    let current: RegionRecord | undefined = region;
    while (current) {
      names.unshift(regionName(current, locale));
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
    return names.join(' › ');
  };
  return {
    all,
    byId,
    childrenOf: (id) => children.get(id) ?? [],
    roots: children.get(null) ?? [],
    ofKind: (kind) => all.filter((region) => region.kind === kind).sort((a, b) => label(a).localeCompare(label(b))),
    label,
  };
}

/** The whole territory tree (a few hundred nodes at most), fetched once and shared. */
export function useRegionTree(options: { enabled?: boolean } = {}) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [locale] = useLocaleState();
  const query = useQuery({
    queryKey: REGION_TREE_KEY,
    queryFn: ({ signal }) => dataProvider.getAll<RegionRecord>('regions', { sort: { field: 'path', order: 'ASC' }, signal }),
    staleTime: 5 * 60_000,
    enabled: options.enabled ?? true,
  });
  const tree = useMemo(() => (query.data ? buildRegionTree(query.data, locale) : null), [query.data, locale]);
  return { ...query, tree };
}

/** Which regions an input offers; null offers every region of its kinds. */
export type RegionFilter = ((region: RegionRecord) => boolean) | null;

/**
 * The territories the signed-in user may place an account in, as the API decides it
 * (access.rules.ts `placementRefusal`): a rep's own territories, the territories under a
 * manager's regions, every territory for an admin. Null until known, and for admins.
 */
export function usePlaceableTerritories(): { filter: RegionFilter; isPending: boolean; only: string | null } {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const query = useQuery({
    queryKey: ['users', 'myPlaces'],
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminMyPlacesDocument, {}, { signal })).me,
    staleTime: 60_000,
  });
  const me = query.data;
  return useMemo(() => {
    if (!me || me.role === 'ADMIN') return { filter: null, isPending: query.isPending, only: null };
    if (me.role === 'REP') {
      const mine = new Set(me.territories.map((territory) => territory.id));
      return { filter: (region) => mine.has(region.id), isPending: false, only: mine.size === 1 ? [...mine][0]! : null };
    }
    const paths = me.managedRegions.map((region) => region.path);
    const filter: RegionFilter = (region) => paths.some((path) => region.path === path || region.path.startsWith(`${path}/`));
    return { filter, isPending: false, only: null };
  }, [me, query.isPending]);
}

/** Choices for a region input: every node of the given kinds (and the filter), labelled with its path. */
export function useRegionChoices(kinds: readonly RegionKind[], options: { enabled?: boolean; filter?: RegionFilter } = {}) {
  const { tree, isPending, error } = useRegionTree(options);
  const filter = options.filter ?? null;
  const choices = useMemo(
    () =>
      tree
        ? tree.all
            .filter((region) => kinds.includes(region.kind) && (!filter || filter(region)))
            .map((region) => ({ id: region.id, name: tree.label(region) }))
            .sort((a, b) => a.name.localeCompare(b.name))
        : [],
    [tree, kinds, filter],
  );
  return { choices, isPending, error };
}
