import type { MetadataStorage } from '@mikro-orm/core';
import {
  visit,
  type ASTNode,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { WITHHELD, provideCompiledRead, type CompiledObject } from '../../common/graphql/compile/passthrough.js';
import {
  JsonText,
  NotPassedThrough,
  allowJsonText,
  compactJson,
  earlierAttempt,
  failCompiled,
  jsonTextWanted,
  missCompiled,
} from '../../common/graphql/compile/json-text.js';
import {
  JsonCompiler,
  NotCompiled,
  cursorSql,
  finish,
  holdsMissing,
  jsonObject,
  type FieldCompiler,
  type PostNode,
} from '../../common/graphql/compile/json-sql.js';
import { subSelections, type SelectedField } from '../../common/graphql/compile/selection.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SortDirection, decodeCursor } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { SortKey } from '../../common/orm/keyset.js';
import { executePrepared } from '../../common/orm/prepared.js';
import { viewerOf, type Context } from '../../context.js';
import { CONTACT_PII_FIELDS, CUSTOMER_GROUP_OF, GROUP_SCOPES } from '../access/index.js';
import { hasScope, isApiKey } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { EVALUATIONS_OF_SQL, EVALUATION_MERGED_FROM_SQL, LATEST_PUBLISHED_CYCLE_SQL, seesCompanyTotals } from '../evaluation/index.js';
import { imHandleList } from '../contact/index.js';
import { LINES_ORDER_BY, PAYMENTS_ORDER_BY } from '../order/index.js';
import { CONTACTS_ORDER_BY, EVALUATIONS_ORDER_BY } from './customer.loaders.js';
import { LifecycleStage } from './customer.entity.js';
import { CustomerScope, type CustomersArgs } from './customer.inputs.js';
import type { ContactsArgs } from '../contact/index.js';
import type { Conditions } from '../../common/orm/keyset.js';

/**
 * The customer-360 read compiled to one statement: `Query.customer(id)` with its profile,
 * territory, region, owner, contacts, pages of interactions and orders (with lines and payments)
 * and evaluations, built as JSON by PostgreSQL in the request's transaction (row-level security
 * on). The access level is `app_access` once per row, the formula RLS and `customerAccess` share.
 *
 * Only results that need no masking are compiled: READ or EDIT, an API key holding every scope
 * the selected groups need, no evaluation of a cycle the key may not open. Anything else — and
 * any field the compiler does not know — goes to today's resolvers, which answer as they always
 * did.
 */
export type CompiledCustomer = CompiledObject;

interface Plan {
  sql: string;
  post: PostNode;
  /** A page's totalCount subqueries, each taking the filter's parameters before the rows' own. */
  counts: number;
  /** Scopes an API key needs for this selection (users are governed by the level alone). */
  requires: Scope[];
  /** The statement's JSON text, compacted, is the response's (`JsonCompiler.textSafe`, and nothing to transform). */
  textSafe: boolean;
}

/** Whether finishing the JSON would change a value (a transform, or WITHHELD): then the text is not the response's. */
function transforms(post: PostNode): boolean {
  for (const field of post.values()) {
    if (field.kind === 'value') return true;
    if (transforms(field.node)) return true;
  }
  return false;
}

const PII = new Set<string>(CONTACT_PII_FIELDS);

const ADDRESS_PROPERTIES: Record<string, string> = {
  line: 'addressLine',
  city: 'city',
  province: 'province',
  postalCode: 'postalCode',
  country: 'country',
};

/** `YYYY-MM-DD HH:MM:SS[.ffffff][zone]` with values PostgreSQL accepts: a cursor key that is safe to write as a literal. */
function isTimestampLiteral(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](\d{2})(:?\d{2})?)?$/.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const zoneHours = match[9] === undefined ? 0 : Number(match[9]);
  return (
    year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 && zoneHours <= 15
  );
}

/** The page arguments as `Loaders.pageOf` reads them, or NotCompiled where the resolvers would refuse them. */
function pageArgs(field: SelectedField): { first: number; after: [string, string] | null } {
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
 * Where the statement reads its customers from: one account by id (`customer(id)`), or a keyset
 * page of `customers` (the conditions as SQL with `?` placeholders, over alias `c`).
 */
type Root =
  | { kind: 'one' }
  | {
      kind: 'page';
      /** The rows listed: accounts (alias `c`) or contacts (alias `k`), each with its account's level. */
      entity: 'Customer' | 'Contact';
      alias: string;
      level: string;
      where: string;
      /** The sort key over the alias, and the to-one joins it reads (`SortKey`). */
      key: string;
      joins: string;
      cast: SortKey['cast'];
      direction: SortDirection;
      first: number;
      hasAfter: boolean;
    };

/** The level of each row, read once: `offset 0` keeps PostgreSQL from repeating the call per reference. */
const CUSTOMER_LEVEL = `app_access(c."owner_id", c."territory_id")`;
const LEVEL = `${CUSTOMER_LEVEL} as "__level"`;
/** A contact's level is its account's, from the same function. */
const CONTACT_LEVEL = `(select app_access(kc."owner_id", kc."territory_id") from "customer" kc where kc."id" = k."customer_id")`;
const OPEN = (alias: string) => `${alias}."__level" in ('EDIT', 'READ')`;

function compile(info: GraphQLResolveInfo, apiKey: boolean, companyTotals: boolean, metadata: MetadataStorage, root: Root): Plan {
  const requires = new Set<Scope>();
  let checksCycles = false;
  const customerType = info.schema.getType('Customer') as GraphQLObjectType;

  const scalar: FieldCompiler = (compiler, field, source, _post, type) => compiler.scalar(type, field, source);
  const pii: FieldCompiler = (compiler, field, source, _post, type) => {
    requires.add(Scope.PII_READ);
    return compiler.scalar(type, field, source);
  };
  // evaluation.resolver.ts: company-wide figures for viewers who see every account only.
  const companyWide: FieldCompiler = (compiler, field, source, post) => {
    if (!companyTotals) {
      post.set(field.responseName, { kind: 'value', transform: () => WITHHELD });
      return 'null';
    }
    // A double: PostgreSQL and JSON.stringify write some differently (1e-05, 0.00001).
    compiler.textSafe = false;
    return `${source.alias}."${compiler.column('Evaluation', field.name)}"`;
  };
  const handlers = new Map<string, FieldCompiler>([
    ['Customer.access', (_compiler, _field, source) => `${source.alias}."__level"`],
    // customer.loaders.ts latestGradeByCustomer: a published cycle, which every reader of evaluations may open.
    [
      'Customer.grade',
      (_compiler, _field, source) =>
        `(select e."grade" from "evaluation" e where e."customer_id" = ${source.alias}."id" and e."cycle_id" = ${LATEST_PUBLISHED_CYCLE_SQL})`,
    ],
    ['Evaluation.score', companyWide],
    ['Evaluation.mergedFrom', (_compiler, _field, source) => EVALUATION_MERGED_FROM_SQL(source.alias)],
    ['Evaluation.contribution', companyWide],
    [
      'Evaluation.metrics',
      (compiler, _field, source) => {
        // jsonb: its keys and numbers are written as PostgreSQL keeps them, not as JSON.stringify would.
        compiler.textSafe = false;
        const metrics = `${source.alias}."${compiler.column('Evaluation', 'metrics')}"`;
        // `->` is not null exactly when the key is there (a JSON null is not SQL NULL); `?` would be a parameter.
        return companyTotals
          ? metrics
          : `(case when ${metrics} -> 'normalized' is not null then ${metrics} || '{"normalized": null}'::jsonb else ${metrics} end)`;
      },
    ],
    [
      'Customer.address',
      (compiler, field, source, post) =>
        compiler.nested(field, post, (type) => {
          const pairs: [string, string][] = [];
          for (const part of compiler.fields(type, subSelections(field))) {
            if (part.name === '__typename') {
              pairs.push([part.responseName, compiler.typename(type)]);
              continue;
            }
            const property = ADDRESS_PROPERTIES[part.name];
            if (!property) throw new NotCompiled(part.name);
            pairs.push([part.responseName, `${source.alias}."${compiler.column('Customer', property)}"`]);
          }
          return jsonObject(pairs);
        }),
    ],
    [
      'Customer.territory',
      (compiler, field, source, post) =>
        compiler.toOne(field, 'Region', `${source.alias}."${compiler.column('Customer', 'territory')}"`, post),
    ],
    [
      'Customer.owner',
      (compiler, field, source, post) => compiler.toOne(field, 'User', `${source.alias}."${compiler.column('Customer', 'owner')}"`, post),
    ],
    [
      'Customer.region',
      (compiler, field, source, post) =>
        compiler.nested(field, post, (type, node) => {
          const territory = compiler.alias();
          const region = compiler.alias();
          const object = compiler.object(type, subSelections(field), { alias: region, entity: 'Region' }, node);
          return compiler.orMissing(
            true,
            `(select ${object} from "region" ${territory} join "region" ${region} on ${region}."path" = split_part(${territory}."path", '/', 1) where ${territory}."id" = ${source.alias}."${compiler.column('Customer', 'territory')}")`,
          );
        }),
    ],
    [
      'Customer.contacts',
      (compiler, field, source, post) =>
        compiler.children(
          field,
          {
            entity: 'Contact',
            parent: 'customer',
            parentId: `${source.alias}."id"`,
            orderBy: CONTACTS_ORDER_BY,
            type: compiler.scope.schema.getType('Contact') as GraphQLObjectType,
          },
          post,
        ),
    ],
    ['Contact.email', pii],
    ['Contact.phone', pii],
    ['Contact.mobile', pii],
    [
      'Contact.imHandles',
      (compiler, field, source, post) => {
        requires.add(Scope.PII_READ);
        post.set(field.responseName, { kind: 'value', transform: (value) => imHandleList(value as Record<string, string> | null) });
        return `${source.alias}."${compiler.column('Contact', 'imHandles')}"`;
      },
    ],
    [
      'Customer.interactions',
      (compiler, field, source, post) => {
        const { first, after } = pageArgs(field);
        return compiler.page(
          field,
          {
            entity: 'Interaction',
            parent: 'customer',
            parentId: `${source.alias}."id"`,
            sort: 'occurredAt',
            cast: 'timestamptz',
            direction: SortDirection.DESC,
            first,
            after,
            nodeType: compiler.scope.schema.getType('Interaction') as GraphQLObjectType,
          },
          post,
        );
      },
    ],
    [
      'Customer.orders',
      (compiler, field, source, post) => {
        const { first, after } = pageArgs(field);
        return compiler.page(
          field,
          {
            entity: 'Order',
            parent: 'customer',
            parentId: `${source.alias}."id"`,
            sort: 'orderedAt',
            cast: 'timestamptz',
            direction: SortDirection.DESC,
            first,
            after,
            nodeType: compiler.scope.schema.getType('Order') as GraphQLObjectType,
          },
          post,
        );
      },
    ],
    [
      'Order.lines',
      (compiler, field, source, post) =>
        compiler.children(
          field,
          {
            entity: 'OrderLine',
            parent: 'order',
            parentId: `${source.alias}."id"`,
            orderBy: LINES_ORDER_BY,
            type: compiler.scope.schema.getType('OrderLine') as GraphQLObjectType,
          },
          post,
        ),
    ],
    [
      'Order.payments',
      (compiler, field, source, post) =>
        compiler.children(
          field,
          {
            entity: 'Payment',
            parent: 'order',
            parentId: `${source.alias}."id"`,
            orderBy: PAYMENTS_ORDER_BY,
            type: compiler.scope.schema.getType('Payment') as GraphQLObjectType,
          },
          post,
        ),
    ],
    // order.service amountPaid / balanceOf: payments with a paid-at time, to cents.
    ['Order.amountPaid', (compiler, _field, source) => `(${paidSql(compiler, source.alias)})::text`],
    [
      'Order.balance',
      (compiler, _field, source) =>
        `(${source.alias}."${compiler.column('Order', 'total')}" - ${paidSql(compiler, source.alias)})::numeric(18,2)::text`,
    ],
    [
      'Customer.evaluations',
      (compiler, field, source, post) => {
        checksCycles = apiKey;
        return compiler.children(
          field,
          {
            entity: 'Evaluation',
            parent: 'customer',
            parentId: `${source.alias}."id"`,
            orderBy: EVALUATIONS_ORDER_BY,
            belongs: (alias) => EVALUATIONS_OF_SQL(alias, `${source.alias}."id"`),
            type: compiler.scope.schema.getType('Evaluation') as GraphQLObjectType,
          },
          post,
        );
      },
    ],
  ]);
  // Every Customer field the compiler reads needs the scope of its group; plain profile fields are columns.
  const customerField =
    (name: string, compiler: FieldCompiler): FieldCompiler =>
    (c, field, source, post, type) => {
      const group = CUSTOMER_GROUP_OF.get(name);
      if (!group) throw new NotCompiled(name);
      if (group !== 'directory') requires.add(GROUP_SCOPES[group]);
      return compiler(c, field, source, post, type);
    };
  for (const name of Object.keys(customerType.getFields())) {
    const key = `Customer.${name}`;
    handlers.set(key, customerField(name, handlers.get(key) ?? scalar));
  }
  for (const name of PII) if (!handlers.has(`Contact.${name}`)) throw new Error(`Contact.${name} is personal data the compiler must guard`);

  const compiler = new JsonCompiler(info, metadata, handlers);
  // To a key, evaluations of cycles it may not open do not exist: such a row is not compiled.
  const hidden = (alias: string) =>
    checksCycles
      ? `exists (select 1 from "evaluation" e where e."customer_id" = ${alias}."id" and not exists (select 1 from "evaluation_cycle" y where y."id" = e."cycle_id" and y."status" = 'PUBLISHED'))`
      : 'false';
  const post: PostNode = new Map();
  if (root.kind === 'one') {
    const data = compiler.object(
      customerType,
      info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
      { alias: 'c', entity: 'Customer' },
      post,
    );
    const sql = `select (case when ${OPEN('c')} then ${data} end)::text as "data", ${OPEN('c')} and ${hidden('c')} as "hidden"
      from (select c.*, ${LEVEL} from "customer" c where c."id" = app_merge_survivor(?::uuid) offset 0) c`;
    return { sql, post, requires: [...requires], counts: 0, textSafe: compiler.textSafe && !transforms(post) };
  }
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
    // The cursor prints the key as keysetPage does (to_json: ISO 8601 to the microsecond for times).
    rows: `select ${a}.*, ${root.level} as "__level", ${cursorSql(`to_json(${root.key}) #>> '{}'`, `${a}."id"`)} as "__cursor", row_number() over (order by ${order}) as "__rn"
      from ${table} ${a} ${root.joins} ${where ? `where ${where}` : ''} order by ${order} limit ${root.first + 1}`,
    count: `select count(*)::int from ${table} ${a} ${root.where ? `where ${root.where}` : ''}`,
    first: root.first,
    hasAfter: root.hasAfter,
  });
  const onPage = `filter (where ${alias}."__rn" <= ${root.first})`;
  const sql = `select (${json})::text as "data", coalesce(bool_and(${OPEN(alias)}) ${onPage}, true) and not coalesce(bool_or(${hidden(alias)}) ${onPage}, false) as "open"
    from ${from} group by ()`;
  return { sql, post, requires: [...requires], counts, textSafe: compiler.textSafe && !transforms(post) };
}

function paidSql(compiler: JsonCompiler, orderAlias: string): string {
  const k = compiler.alias();
  return `(select coalesce(sum(${k}."amount") filter (where ${k}."paid_at" is not null), 0)::numeric(18,2) from "payment" ${k} where ${k}."${compiler.column('Payment', 'order')}" = ${orderAlias}."id")`;
}

interface Plans {
  /** Variables the selection under the field reads (directives, page arguments); the account id is not one of them. */
  variables: string[];
  byKey: Map<string, Plan | null>;
}

/**
 * Plans by operation, then by the root field's first node: one node (in a fragment) may stand
 * under different operations with different siblings, merged into different selections.
 */
const plans = new WeakMap<OperationDefinitionNode, WeakMap<FieldNode, Plans>>();
const PLANS_PER_FIELD = 64;

function variablesUnder(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const fragments = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => void names.add(variable.name.value),
      FragmentSpread: (spread) => {
        const fragment = info.fragments[spread.name.value];
        if (fragment && !fragments.has(spread.name.value)) {
          fragments.add(spread.name.value);
          walk(fragment);
        }
      },
    });
  for (const node of info.fieldNodes) {
    if (node.selectionSet) walk(node.selectionSet);
    for (const directive of node.directives ?? []) walk(directive);
  }
  return [...names].sort();
}

/**
 * The plan of this selection under these variables, compiled once per document (Apollo keeps
 * parsed documents) and root shape: the condition text, sort and page size of a list, never
 * its values, which travel as parameters of the prepared statement.
 */
function planFor(context: Context, info: GraphQLResolveInfo, root: Root): Plan | null {
  const apiKey = isApiKey(viewerOf(context));
  const companyTotals = seesCompanyTotals(context.reach);
  const node = info.fieldNodes[0]!;
  let byNode = plans.get(info.operation);
  if (!byNode) plans.set(info.operation, (byNode = new WeakMap()));
  let cached = byNode.get(node);
  if (!cached) byNode.set(node, (cached = { variables: variablesUnder(info), byKey: new Map() }));
  const byVariables = cached.byKey;
  const key = `${apiKey ? 'key' : 'user'}:${companyTotals ? 'all' : 'scoped'}:${info.fieldNodes.length}:${JSON.stringify(root)}:${JSON.stringify(cached.variables.map((name) => info.variableValues[name] ?? null))}`;
  if (byVariables.has(key)) return byVariables.get(key)!;
  let plan: Plan | null;
  try {
    plan = compile(info, apiKey, companyTotals, context.em.getMetadata(), root);
  } catch (error) {
    if (!(error instanceof NotCompiled)) throw error;
    plan = null;
  }
  if (byVariables.size >= PLANS_PER_FIELD) byVariables.clear();
  byVariables.set(key, plan);
  return plan;
}

/** The plan where the viewer holds every scope it needs, or null (the resolvers mask what a key may not read). */
function usablePlan(context: Context, info: GraphQLResolveInfo, root: Root): Plan | null {
  const viewer = viewerOf(context);
  const plan = planFor(context, info, root);
  return plan && plan.requires.every((scope) => hasScope(viewer, scope)) ? plan : null;
}

/**
 * The customer as the compiled statement builds it, or null where the resolvers must answer
 * (not compiled, masking needed, or the row not visible as READ/EDIT).
 */
export async function compiledCustomer(
  context: Context,
  info: GraphQLResolveInfo,
  id: string,
): Promise<CompiledCustomer | JsonText | null> {
  if (earlierAttempt(context) === 'missed') return null;
  const text = jsonTextWanted(context);
  // The loaders match rows by the id as written, so today an upper-case id finds nothing; the resolvers keep answering those.
  const plan = id === id.toLowerCase() ? usablePlan(context, info, { kind: 'one' }) : null;
  if (!plan || (text && !plan.textSafe)) {
    if (text) throw new NotPassedThrough();
    return null;
  }
  const row = await run<{ data: string | null; hidden: boolean }>(context, plan.sql, [id]);
  if (!row?.data || row.hidden) return text ? missCompiled(context) : null;
  return answer(context, row.data, plan);
}

/** The statement's one row; in the text attempt a failure is kept for graphql-js's run of the field. */
async function run<T>(context: Context, sql: string, params: readonly Parameter[]): Promise<T | undefined> {
  try {
    const [row] = await executePrepared<T>(context.em, sql, params);
    return row;
  } catch (error) {
    if (jsonTextWanted(context)) failCompiled(context, error);
    throw error;
  }
}

/** The answer from the statement's JSON text: the text itself when asked for it, or the objects graphql-js walks. */
function answer(context: Context, data: string, plan: Plan, responseName?: string): CompiledObject | JsonText | null {
  if (jsonTextWanted(context)) {
    if (holdsMissing(data)) return missCompiled(context);
    return new JsonText(compactJson(data));
  }
  const value = JSON.parse(data) as Record<string, unknown>;
  // A page's plan is keyed from the root field's response name (the connection is its value).
  const finished = responseName === undefined ? finish(value, plan.post) : finish({ [responseName]: value }, plan.post);
  return finished ? (value as CompiledObject) : null;
}

type Parameter = string | number | boolean | null;

function parameter(value: unknown): Parameter {
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new NotCompiled(`parameter of type ${typeof value}`);
}

/**
 * What a cursor's key must look like for the statement to take it as a parameter of its cast;
 * anything else is left to the resolvers, which answer it (or refuse it) as they always have.
 */
const KEY_FORMS: Record<SortKey['cast'], RegExp> = {
  text: /^[^]*$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  timestamptz: /^(-?infinity|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?))$/,
  numeric: /^-?\d{1,30}(\.\d{1,30})?$/,
  integer: /^-?\d{1,9}$/,
  lifecycle_stage: new RegExp(`^(${Object.values(LifecycleStage).join('|')})$`),
};

/** The `after` cursor as statement parameters, or NotCompiled where the resolvers decide (and refuse) it. */
function cursorParameters(after: string, cast: SortKey['cast']): [Parameter, string] {
  let decoded: [string | number, string];
  try {
    decoded = decodeCursor(after);
  } catch {
    throw new NotCompiled('after');
  }
  const [key, id] = decoded;
  if (!isUuid(id) || id !== id.toLowerCase()) throw new NotCompiled('after');
  if (typeof key !== 'string' || !KEY_FORMS[cast].test(key)) throw new NotCompiled('after');
  if (cast === 'timestamptz' && !/^-?infinity$/.test(key) && !isTimestampLiteral(key)) throw new NotCompiled('after');
  return [key, id];
}

/**
 * A `customers` page as the compiled statement builds it: the same rows, order, cursors and
 * count as `CustomerService.list`, or null where the resolvers must answer (a selection it does
 * not compile, a key missing a scope, a cursor they would refuse, any row on the page that is
 * not READ or EDIT, or one with evaluations a key may not see).
 */
export async function compiledCustomers(
  context: Context,
  info: GraphQLResolveInfo,
  args: CustomersArgs,
): Promise<CompiledObject | JsonText | null> {
  if (earlierAttempt(context) === 'missed') return null;
  if (args.scope === CustomerScope.DIRECTORY) {
    if (jsonTextWanted(context)) throw new NotPassedThrough();
    return null;
  }
  return compiledPage(context, info, args, () => ({
    ...context.services.customers.listQuery(args),
    entity: 'Customer',
    alias: 'c',
    level: CUSTOMER_LEVEL,
  }));
}

/**
 * A `contacts` page as the compiled statement builds it: the same rows, order, cursors and count
 * as `ContactService.list` (contacts of the accounts the viewer may open), or null where the
 * resolvers must answer (a key without pii:read selecting personal data, a contact's account,
 * a cursor they would refuse, a row whose account is not READ or EDIT).
 */
export async function compiledContacts(
  context: Context,
  info: GraphQLResolveInfo,
  args: ContactsArgs,
): Promise<CompiledObject | JsonText | null> {
  if (earlierAttempt(context) === 'missed') return null;
  return compiledPage(context, info, args, () => ({
    ...context.services.contacts.listQuery(args),
    entity: 'Contact',
    alias: 'k',
    level: CONTACT_LEVEL,
  }));
}

interface PageQuery {
  where: Conditions;
  sort: SortKey;
  direction: SortDirection;
  entity: 'Customer' | 'Contact';
  alias: string;
  level: string;
}

/** A keyset page of `entity` from its list's conditions and sort, in one statement. */
async function compiledPage(
  context: Context,
  info: GraphQLResolveInfo,
  args: { first?: number | null; after?: string | null },
  query: () => PageQuery,
): Promise<CompiledObject | JsonText | null> {
  const text = jsonTextWanted(context);
  try {
    const { where, sort, direction, entity, alias, level } = query();
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const after = args.after ? cursorParameters(args.after, sort.cast) : null;
    const plan = usablePlan(context, info, {
      kind: 'page',
      entity,
      alias,
      level,
      where: where.parts.join(' and '),
      key:
        sort.expression?.(alias) ?? `${alias}."${context.em.getMetadata().get(entity).properties[sort.property as never].fieldNames[0]!}"`,
      joins: sort.joins?.(alias) ?? '',
      cast: sort.cast,
      direction,
      first,
      hasAfter: Boolean(after),
    });
    if (!plan || (text && !plan.textSafe)) throw new NotCompiled('plan');
    const filter = where.params.map(parameter);
    // Text order: each totalCount subquery in the select list, then the page's rows in FROM.
    const params = [...Array.from({ length: plan.counts }, () => filter).flat(), ...filter, ...(after ?? [])];
    const row = await run<{ data: string; open: boolean }>(context, plan.sql, params);
    if (!row?.open) return text ? missCompiled(context) : null;
    return answer(context, row.data, plan, String(info.path.key));
  } catch (error) {
    if (!(error instanceof NotCompiled)) throw error;
    if (text) throw new NotPassedThrough();
    return null;
  }
}

allowJsonText('customer');
allowJsonText('customers');
allowJsonText('contacts');
provideCompiledRead('contacts', compiledContacts);
