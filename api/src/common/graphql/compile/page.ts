import type { GraphQLResolveInfo } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SortDirection, decodeCursor } from '../connection.js';
import { isUuid } from '../ids.js';
import type { Conditions, SortKey } from '../../orm/keyset.js';
import type { Context } from '../../../context.js';
import { JsonCompiler, NotCompiled, cursorSql, type FieldCompiler, type PostNode } from './json-sql.js';
import { type JsonText, NotPassedThrough, earlierAttempt, jsonTextWanted, missCompiled } from './json-text.js';
import type { CompiledObject } from './passthrough.js';
import { answerOf, cachedPlan, parameter, runPlan, textOf, type Plan } from './plan.js';
import type { SelectedField } from './selection.js';

/** Whether a row of the statement (its `__level`, from `app_access()`) may be answered in full. */
export const OPEN = (alias: string) => `${alias}."__level" in ('EDIT', 'READ')`;

/** `YYYY-MM-DD HH:MM:SS[.ffffff][zone]` with values PostgreSQL accepts: a cursor key that is safe to write as a literal. */
export function isTimestampLiteral(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2})(:?\d{2})?)?$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const zoneHours = match[9] === undefined ? 0 : Number(match[9]);
  return (
    year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 && zoneHours <= 15
  );
}

/** A child page's arguments as `Loaders.pageOf` reads them, or NotCompiled where the resolvers would refuse them. */
export function childPageArgs(field: SelectedField): { first: number; after: [string, string] | null } {
  const { first, after } = field.args as { first?: number | null; after?: string | null };
  if (first != null && (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)) throw new NotCompiled('first');
  if (!after) return { first: first ?? DEFAULT_PAGE_SIZE, after: null };
  let decoded: [string | number, string];
  try {
    decoded = decodeCursor(after);
  } catch {
    throw new NotCompiled('after');
  }
  const [key, id] = decoded;
  if (typeof key !== 'string' || !isTimestampLiteral(key) || !isUuid(id)) throw new NotCompiled('after');
  return { first: first ?? DEFAULT_PAGE_SIZE, after: [key, id] };
}

/**
 * What a cursor's key must look like for the statement to take it as a parameter of its cast;
 * anything else is left to the resolvers, which answer it (or refuse it) as they always have.
 * An enum cast's key must be one of the values the list names (`PageQuery.enumValues`).
 */
const KEY_FORMS: Record<Exclude<SortKey['cast'], EnumCast>, RegExp> = {
  text: /^[^]*$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  timestamptz: /^(-?infinity|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?))$/,
  numeric: /^-?\d{1,30}(\.\d{1,30})?$/,
  integer: /^-?\d{1,9}$/,
};

type EnumCast = 'lifecycle_stage';

function isEnumCast(cast: SortKey['cast']): cast is EnumCast {
  return cast === 'lifecycle_stage';
}

/** The `after` cursor as statement parameters, or NotCompiled where the resolvers decide (and refuse) it. */
export function cursorParameters(after: string, cast: SortKey['cast'], enumValues: readonly string[] = []): [string, string] {
  let decoded: [string | number, string];
  try {
    decoded = decodeCursor(after);
  } catch {
    throw new NotCompiled('after');
  }
  const [key, id] = decoded;
  if (!isUuid(id) || id !== id.toLowerCase()) throw new NotCompiled('after');
  if (typeof key !== 'string') throw new NotCompiled('after');
  if (isEnumCast(cast) ? !enumValues.includes(key) : !KEY_FORMS[cast].test(key)) throw new NotCompiled('after');
  if (cast === 'timestamptz' && !/^-?infinity$/.test(key) && !isTimestampLiteral(key)) throw new NotCompiled('after');
  // A day the calendar does not have (2025-02-30) would fail the statement's cast.
  if (cast === 'date' && !isTimestampLiteral(`${key} 00:00:00`)) throw new NotCompiled('after');
  return [key, id];
}

/**
 * A root list's page as the statement reads it: the rows of `entity` under `alias`, each with
 * its level (an SQL expression over the alias), the list's conditions as SQL with `?`
 * placeholders, its sort key over the alias and the to-one joins that key reads (`SortKey`).
 */
export interface PageRoot {
  entity: string;
  alias: string;
  level: string;
  where: string;
  key: string;
  /** The key as its cursor prints it (an SQL text expression); `to_json`'s text when the list says nothing else. */
  keyText: string;
  joins: string;
  /** A condition on the whole answer, not on its rows (the cycle a page lists is one the viewer may open): false sends it to the resolvers. */
  gate: string | null;
  cast: SortKey['cast'];
  direction: SortDirection;
  first: number;
  hasAfter: boolean;
}

/**
 * The statement of a root page: the connection's JSON as text in `data`, and `open`, true
 * when every row on the page is READ or EDIT and none is `closed` (a predicate over the row's
 * alias for what else the compiled answer cannot say).
 */
export function pageStatement(
  compiler: JsonCompiler,
  info: GraphQLResolveInfo,
  root: PageRoot,
  post: PostNode,
  closed: (alias: string) => string = () => 'false',
): { sql: string; counts: number } {
  const dir = root.direction === SortDirection.DESC ? 'desc' : 'asc';
  const a = root.alias;
  const table = compiler.table(root.entity);
  const order = `${root.key} ${dir}, ${a}."id" ${dir}`;
  const seek = root.hasAfter ? `(${root.key}, ${a}."id") ${dir === 'asc' ? '>' : '<'} (?::${root.cast}, ?::uuid)` : null;
  const where = [root.where, seek].filter(Boolean).join(' and ');
  const field: SelectedField = {
    responseName: String(info.path.key),
    name: info.fieldName,
    nodes: info.fieldNodes,
    definition: info.parentType.getFields()[info.fieldName]!,
    args: {},
  };
  const { json, from, alias, counts } = compiler.connection(field, post, {
    entity: root.entity,
    rows: `select ${a}.*, ${root.level} as "__level", ${cursorSql(root.keyText, `${a}."id"`)} as "__cursor", row_number() over (order by ${order}) as "__rn"
      from ${table} ${a} ${root.joins} ${where ? `where ${where}` : ''} order by ${order} limit ${root.first + 1}`,
    count: `select count(*)::int from ${table} ${a} ${root.where ? `where ${root.where}` : ''}`,
    first: root.first,
    hasAfter: root.hasAfter,
  });
  const onPage = `filter (where ${alias}."__rn" <= ${root.first})`;
  const gate = root.gate ? `(${root.gate}) and ` : '';
  const sql = `select (${json})::text as "data", ${gate}coalesce(bool_and(${OPEN(alias)}) ${onPage}, true) and not coalesce(bool_or(${closed(alias)}) ${onPage}, false) as "open"
    from ${from} group by ()`;
  return { sql, counts };
}

/** A root list's page: its conditions and sort as its service writes them, over `alias`. */
export interface PageQuery {
  where: Conditions;
  sort: SortKey;
  direction: SortDirection;
  entity: string;
  alias: string;
  level: string;
  /** The values of the sort's cast where it is an enum: a cursor key must be one of them. */
  enumValues?: readonly string[];
  /** `PageRoot.gate` with its `?` parameters. */
  gate?: { sql: string; params: readonly unknown[] };
}

/**
 * A keyset page of a root list from its conditions and sort, in one statement: the compiled
 * answer, or null where the resolvers must answer (`plan` gives none, a cursor they would
 * refuse, a row on the page that is not open).
 */
export async function compiledPage(
  context: Context,
  info: GraphQLResolveInfo,
  args: { first?: number | null; after?: string | null },
  query: () => PageQuery,
  plan: (root: PageRoot) => Plan | null,
): Promise<CompiledObject | JsonText | null> {
  // The text attempt missed (a row not open): this walk is the resolvers'.
  if (earlierAttempt(context) === 'missed') return null;
  const text = jsonTextWanted(context);
  try {
    const { where, sort, direction, entity, alias, level, enumValues, gate } = query();
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const after = args.after ? cursorParameters(args.after, sort.cast, enumValues) : null;
    const key =
      sort.expression?.(alias) ?? `${alias}."${context.em.getMetadata().get(entity).properties[sort.property as never].fieldNames[0]!}"`;
    const chosen = plan({
      entity,
      alias,
      level,
      where: where.parts.join(' and '),
      key,
      // The cursor prints the key as keysetPage does (to_json: ISO 8601 to the microsecond for times), unless the list prints it its own way.
      keyText: sort.text?.(alias) ?? `to_json(${key}) #>> '{}'`,
      joins: sort.joins?.(alias) ?? '',
      gate: gate?.sql ?? null,
      cast: sort.cast,
      direction,
      first,
      hasAfter: Boolean(after),
    });
    if (!chosen || (text && !chosen.textSafe)) throw new NotCompiled('plan');
    const filter = where.params.map(parameter);
    // Text order: each totalCount subquery in the select list, the gate after them, then the page's rows in FROM.
    const params = [
      ...Array.from({ length: chosen.counts }, () => filter).flat(),
      ...(gate?.params ?? []).map(parameter),
      ...filter,
      ...(after ?? []),
    ];
    const row = await runPlan<{ data: string; open: boolean }>(context, chosen.sql, params);
    if (!row?.open) return text ? missCompiled(context) : null;
    return answerOf(context, row.data, chosen, String(info.path.key), true);
  } catch (error) {
    if (!(error instanceof NotCompiled)) throw error;
    if (text) throw new NotPassedThrough();
    return null;
  }
}

/** The level of a row that whoever may call the operation may read in full (regions, users): no row of it is masked. */
export const OPEN_ROW = `'READ'::text`;

/**
 * The plan of a page whose rows nobody sees masked (the operation's gate decides who may list
 * them, row-level security which rows): no level per row, no scope per field.
 */
export function openPagePlan(
  context: Context,
  info: GraphQLResolveInfo,
  root: PageRoot,
  handlers: ReadonlyMap<string, FieldCompiler>,
): Plan | null {
  return cachedPlan(info, 'open', root, () => {
    const compiler = new JsonCompiler(info, context.em.getMetadata(), handlers);
    const post: PostNode = new Map();
    const { sql, counts } = pageStatement(compiler, info, root, post);
    return { sql, post, counts, requires: [], ...textOf(compiler.textSafe, post) };
  });
}
