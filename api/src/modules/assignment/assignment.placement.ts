import type { EntityManager } from '@mikro-orm/postgresql';
import { Role, type Viewer } from '../../common/access/index.js';
import { BadUserInputError } from '../../common/errors/errors.js';

/** What a rule matches on: the account's address, industry, size band and source channel. */
export interface PlacementFacts {
  province?: string | null;
  city?: string | null;
  industry?: string | null;
  sizeBand?: string | null;
  sourceChannel?: string | null;
}

/** Where the first matching rule puts an account. */
export interface Placement {
  ruleId: string;
  territoryId: string;
  /** Null: the rule names no owner, so the create's own default applies. */
  ownerId: string | null;
}

/** A stored condition value, and an account's value compared with it: trimmed, lower case. */
export function conditionValue(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The match of rule `r` on an account, as SQL over the account's expressions: each condition is
 * a list of accepted values, empty meaning any; an account without the value matches only rules
 * that do not ask for it. The one definition of a match: creates (`placeByRules`) pass parameters,
 * the realignment passes a customer's columns, so both place an account the same way.
 */
export function ruleMatchSql(r: string, account: Record<keyof PlacementFacts, string>): string {
  const text = (list: string, value: string) =>
    `(cardinality(${r}.${list}) = 0 or coalesce(lower(btrim(${value})) = any(${r}.${list}), false))`;
  const code = (list: string, value: string) => `(cardinality(${r}.${list}) = 0 or coalesce((${value})::text = any(${r}.${list}), false))`;
  return [
    text('provinces', account.province),
    text('cities', account.city),
    text('industries', account.industry),
    code('size_bands', account.sizeBand),
    code('source_channels', account.sourceChannel),
  ].join(' and ');
}

/**
 * The first rule, in position order, that matches these facts (null: none does). Reads only the
 * rules (every principal may: row-level security lets all read them) and decides nothing about
 * who may place the account there: the caller's own checks do. Imports reuse it per row.
 */
export async function placeByRules(em: EntityManager, facts: PlacementFacts): Promise<Placement | null> {
  const match = ruleMatchSql('r', {
    province: '?::text',
    city: '?::text',
    industry: '?::text',
    sizeBand: '?::text',
    sourceChannel: '?::text',
  });
  const [row] = await em.execute<{ ruleId: string; territoryId: string; ownerId: string | null }[]>(
    `select r.id as "ruleId", r.territory_id as "territoryId", r.owner_id as "ownerId"
     from assignment_rule r where ${match} order by r.position limit 1`,
    [facts.province ?? null, facts.city ?? null, facts.industry ?? null, facts.sizeBand ?? null, facts.sourceChannel ?? null],
  );
  return row ?? null;
}

/**
 * A rule's placement as it applies to the creator. A rep opens accounts as their own owner, so a
 * rule's owner gives way to them; the rule's territory holds when they work in it, and otherwise
 * the account goes where a reassignment to them that names no territory would send it: their only
 * territory (docs/permissions.md). A rep of several, none the rule's, must name one. A rep of none
 * keeps the rule's territory, which the create's own checks refuse. Managers, admins and API keys
 * take the rule as it is.
 */
export function placementFor(viewer: Viewer, placed: Placement): Placement {
  if (viewer.role !== Role.REP) return placed;
  const territories = viewer.memberTerritories;
  const own = { ruleId: placed.ruleId, ownerId: viewer.id };
  if (territories.includes(placed.territoryId) || territories.length === 0) return { ...own, territoryId: placed.territoryId };
  if (territories.length === 1) return { ...own, territoryId: territories[0]! };
  throw new BadUserInputError('territoryId', 'Name the territory: the matching rule places this account in one you do not work in');
}
