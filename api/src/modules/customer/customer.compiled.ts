import type { MetadataStorage } from '@mikro-orm/core';
import { isNonNullType, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { WITHHELD, provideCompiledRead, type CompiledObject } from '../../common/graphql/compile/passthrough.js';
import {
  type JsonText,
  NotPassedThrough,
  allowJsonText,
  earlierAttempt,
  jsonTextWanted,
  missCompiled,
} from '../../common/graphql/compile/json-text.js';
import { JsonCompiler, NotCompiled, type FieldCompiler, type PostNode } from '../../common/graphql/compile/json-sql.js';
import { OPEN, childPageArgs, compiledPage, pageStatement, type PageRoot } from '../../common/graphql/compile/page.js';
import { answerOf, cachedPlan, runPlan, textOf, type Plan } from '../../common/graphql/compile/plan.js';
import { compiledRecord, recordStatement, type RecordRoot } from '../../common/graphql/compile/record.js';
import { subSelections } from '../../common/graphql/compile/selection.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { viewerOf, type Context } from '../../context.js';
import { CONTACT_PII_FIELDS, CUSTOMER_GROUP_OF, GROUP_SCOPES } from '../access/index.js';
import { hasScope, isApiKey } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import {
  EVALUATIONS_OF_SQL,
  EVALUATION_ACCOUNT_SQL,
  EVALUATION_MERGED_FROM_SQL,
  LATEST_PUBLISHED_CYCLE_SQL,
  seesCompanyTotals,
  type EvaluationFeedArgs,
} from '../evaluation/index.js';
import { imHandleList } from '../contact/index.js';
import { LINES_ORDER_BY, PAYMENTS_ORDER_BY } from '../order/index.js';
import { CONTACTS_ORDER_BY, EVALUATIONS_ORDER_BY } from './customer.loaders.js';
import { LifecycleStage } from './customer.entity.js';
import { CustomerScope, type CustomersArgs } from './customer.inputs.js';
import type { ContactsArgs } from '../contact/index.js';
import type { FollowUpsArgs, InteractionsArgs } from '../interaction/index.js';
import type { OrdersArgs } from '../order/index.js';

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

/** Customer fields of other groups that are columns of the row, which the resolvers drop with the profile (access.masks.ts). */
const ON_PROFILE_ROW = new Set(['lastInteractionAt', 'lastOrderAt']);

const PII = new Set<string>(CONTACT_PII_FIELDS);

const ADDRESS_PROPERTIES: Record<string, string> = {
  line: 'addressLine',
  city: 'city',
  province: 'province',
  postalCode: 'postalCode',
  country: 'country',
};

/**
 * Where the statement reads its customers from: one account by id (`customer(id)`), or a keyset
 * page of `customers` (the conditions as SQL with `?` placeholders, over alias `c`).
 */
type Root = { kind: 'one' } | ({ kind: 'page' } & PageRoot) | ({ kind: 'record' } & RecordRoot);

const STAGES: readonly string[] = Object.values(LifecycleStage);

/** The level of each row, read once: `offset 0` keeps PostgreSQL from repeating the call per reference. */
const customerLevel = (alias: string) => `app_access(${alias}."owner_id", ${alias}."territory_id")`;
const CUSTOMER_LEVEL = customerLevel('c');
const LEVEL = `${CUSTOMER_LEVEL} as "__level"`;
/** A contact's level is its account's, from the same function. */
const CONTACT_LEVEL = childLevel('k');

/** The level of a record of an account (a contact, an interaction, an order): its account's, from the same function. */
function childLevel(alias: string): string {
  return `(select ${customerLevel(`${alias}c`)} from "customer" ${alias}c where ${alias}c."id" = ${alias}."customer_id")`;
}

function compile(info: GraphQLResolveInfo, apiKey: boolean, companyTotals: boolean, metadata: MetadataStorage, root: Root): Plan {
  const requires = new Set<Scope>();
  let checksCycles = false;
  /** Accounts reached through a relation (an interaction's, an order's), being compiled now. */
  let nestedCustomers = 0;
  const customerType = info.schema.getType('Customer') as GraphQLObjectType;

  const scalar: FieldCompiler = (compiler, field, source, post, type) => compiler.scalar(type, field, source, post);
  const pii: FieldCompiler = (compiler, field, source, post, type) => {
    requires.add(Scope.PII_READ);
    return compiler.scalar(type, field, source, post);
  };
  // evaluation.resolver.ts: company-wide figures for viewers who see every account only.
  const companyWide: FieldCompiler = (compiler, field, source, post) => {
    if (!companyTotals) {
      // Nullable: graphql-js answers null with an error, which the text answer reproduces. A non-null one would null its parent.
      post.set(
        field.responseName,
        isNonNullType(field.definition!.type) ? { kind: 'value', transform: () => WITHHELD } : { kind: 'withheld', nodes: field.nodes },
      );
      return 'null';
    }
    return compiler.float(field, `${source.alias}."${compiler.column('Evaluation', field.name)}"`, post);
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
          // Through build: wider than json_build_object takes, the jsonb parts lose response order, and the text with it.
          return compiler.build(pairs);
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
        const { first, after } = childPageArgs(field);
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
        const { first, after } = childPageArgs(field);
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
        // The check of a key's cycles reads the root row; an account reached through a relation is the resolvers'.
        if (apiKey && nestedCustomers > 0) throw new NotCompiled('evaluations');
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
  // interaction.resolver / order.resolver `customer`: the account by id, masked as loaders.byId masks it (in full when READ or EDIT).
  const accountOf =
    (idOf: (compiler: JsonCompiler, alias: string, type: GraphQLObjectType) => string): FieldCompiler =>
    (compiler, field, source, post, type) =>
      compiler.nested(field, post, (customer, node) => {
        const q = compiler.alias();
        nestedCustomers += 1;
        const object = compiler.object(customer, subSelections(field), { alias: q, entity: 'Customer' }, node);
        nestedCustomers -= 1;
        const id = idOf(compiler, source.alias, type);
        return compiler.orMissing(
          true,
          `(select case when ${OPEN(q)} then ${object} end from (select ${q}.*, ${customerLevel(q)} as "__level" from "customer" ${q} where ${q}."id" = ${id} offset 0) ${q})`,
        );
      });
  const byForeignKey = accountOf((compiler, alias, type) => `${alias}."${compiler.column(type.name, 'customer')}"`);
  handlers.set('Interaction.customer', byForeignKey);
  handlers.set('Order.customer', byForeignKey);
  handlers.set('Contact.customer', byForeignKey);
  // evaluation.resolver `customer`: a result linked by a standing merge is read through its survivor.
  handlers.set(
    'Evaluation.customer',
    accountOf((_compiler, alias) => EVALUATION_ACCOUNT_SQL(alias)),
  );
  // evaluation-cycle.resolver: the cycle by id; the period-end territory, region and owner by their snapshot ids (null where none).
  handlers.set('Evaluation.cycle', (compiler, field, source, post) =>
    compiler.toOne(field, 'EvaluationCycle', `${source.alias}."${compiler.column('Evaluation', 'cycle')}"`, post),
  );
  for (const [name, entity, property] of [
    ['territory', 'Region', 'territoryId'],
    ['region', 'Region', 'regionId'],
    ['owner', 'User', 'ownerId'],
  ] as const)
    handlers.set(`Evaluation.${name}`, (compiler, field, source, post) =>
      compiler.toOne(field, entity, `${source.alias}."${compiler.column('Evaluation', property)}"`, post),
    );
  // interaction.resolver `contact`: hidden from keys without contacts:read before it is known whether there is one.
  handlers.set('Interaction.contact', (compiler, field, source, post) => {
    requires.add(Scope.CONTACTS_READ);
    return compiler.toOne(field, 'Contact', `${source.alias}."${compiler.column('Interaction', 'contact')}"`, post);
  });
  handlers.set('Interaction.author', (compiler, field, source, post) =>
    compiler.toOne(field, 'User', `${source.alias}."${compiler.column('Interaction', 'author')}"`, post),
  );
  // Every Customer field the compiler reads needs the scope of its group; plain profile fields are columns.
  const customerField =
    (name: string, compiler: FieldCompiler): FieldCompiler =>
    (c, field, source, post, type) => {
      const group = CUSTOMER_GROUP_OF.get(name);
      if (!group) throw new NotCompiled(name);
      if (group !== 'directory') requires.add(GROUP_SCOPES[group]);
      // maskCustomer keeps these row properties only on a row whose profile is readable (null without it, no error).
      if (ON_PROFILE_ROW.has(name)) requires.add(GROUP_SCOPES.profile);
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
    return { sql, post, requires: [...requires], counts: 0, ...textOf(compiler.textSafe, post) };
  }
  if (root.kind === 'record') {
    const sql = recordStatement(compiler, info, root, post);
    return { sql, post, requires: [...requires], counts: 0, ...textOf(compiler.textSafe, post) };
  }
  const { sql, counts } = pageStatement(compiler, info, root, post, hidden);
  return { sql, post, requires: [...requires], counts, ...textOf(compiler.textSafe, post) };
}

function paidSql(compiler: JsonCompiler, orderAlias: string): string {
  const k = compiler.alias();
  return `(select coalesce(sum(${k}."amount") filter (where ${k}."paid_at" is not null), 0)::numeric(18,2) from "payment" ${k} where ${k}."${compiler.column('Payment', 'order')}" = ${orderAlias}."id")`;
}

/** The plan of this selection for this viewer's kind (`cachedPlan`). */
function planFor(context: Context, info: GraphQLResolveInfo, root: Root): Plan | null {
  const apiKey = isApiKey(viewerOf(context));
  const companyTotals = seesCompanyTotals(context.reach);
  return cachedPlan(info, `${apiKey ? 'key' : 'user'}:${companyTotals ? 'all' : 'scoped'}`, root, () =>
    compile(info, apiKey, companyTotals, context.em.getMetadata(), root),
  );
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
  const row = await runPlan<{ data: string | null; hidden: boolean }>(context, plan.sql, [id]);
  if (!row?.data || row.hidden) return text ? missCompiled(context) : null;
  return answerOf(context, row.data, plan, String(info.path.key), false);
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
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.customers.listQuery(args), entity: 'Customer', alias: 'c', level: CUSTOMER_LEVEL, enumValues: STAGES }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
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
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.contacts.listQuery(args), entity: 'Contact', alias: 'k', level: CONTACT_LEVEL }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
}

/**
 * An `interactions` page as the compiled statement builds it: the same rows, order, cursors and
 * count as `InteractionService.list` (interactions on the accounts the viewer may open), with
 * their accounts, contacts and authors, or null where the resolvers must answer (a key missing a
 * scope the selection needs, a cursor they would refuse, a row whose account is not READ or EDIT).
 */
export async function compiledInteractions(
  context: Context,
  info: GraphQLResolveInfo,
  args: InteractionsArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.interactions.listQuery(args), entity: 'Interaction', alias: 'i', level: childLevel('i') }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
}

/**
 * A `followUps` page as the compiled statement builds it: the same rows, order, cursors and count
 * as `InteractionService.followUps` (due before a date, on the accounts the viewer may open and,
 * for a user, owns), with the relations an `interactions` page compiles, or null where the
 * resolvers must answer (as for interactions).
 */
export async function compiledFollowUps(
  context: Context,
  info: GraphQLResolveInfo,
  args: FollowUpsArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.interactions.followUpsQuery(args), entity: 'Interaction', alias: 'i', level: childLevel('i') }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
}

/**
 * An `orders` page as the compiled statement builds it: the same rows, order, cursors and count
 * as `OrderService.list`, with their accounts, lines, payments and amounts paid, or null where
 * the resolvers must answer (as for interactions).
 */
export async function compiledOrders(
  context: Context,
  info: GraphQLResolveInfo,
  args: OrdersArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.orders.listQuery(args), entity: 'Order', alias: 'o', level: childLevel('o') }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
}

/**
 * An `evaluations` page (the BI feed) as the compiled statement builds it: the same rows, order,
 * cursors and count as `EvaluationResultService.feed`, with the result's account (its survivor
 * where a merge links it), cycle, period-end territory, region and owner, company-wide figures
 * withheld as the resolvers withhold them; or null where the resolvers must answer (a cycle the
 * viewer may not open or that does not exist, which they refuse; a key missing a scope the
 * account's fields need; a cursor they would refuse; an account that is not READ or EDIT).
 */
export async function compiledEvaluations(
  context: Context,
  info: GraphQLResolveInfo,
  args: EvaluationFeedArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({ ...context.services.evaluationResults.feedQuery(args), entity: 'Evaluation', alias: 'e', level: childLevel('e') }),
    (root) => usablePlan(context, info, { kind: 'page', ...root }),
  );
}

/**
 * `interaction(id)`, `order(id)` and `contact(id)` as the compiled statement builds them: the
 * record with the relations its page compiles, when its account is READ or EDIT to the viewer
 * (`readableById`'s rule, from app_access()); or null where the resolvers must answer (as for its
 * page, and where they answer null: no such record, or one the viewer may not open).
 */
export function compiledChildRecord(entity: 'Interaction' | 'Order' | 'Contact', alias: string) {
  return (context: Context, info: GraphQLResolveInfo, id: string): Promise<CompiledObject | JsonText | null> =>
    compiledRecord(context, info, id, () => usablePlan(context, info, { kind: 'record', entity, alias, level: childLevel(alias) }));
}

export const compiledInteraction = compiledChildRecord('Interaction', 'i');
export const compiledOrder = compiledChildRecord('Order', 'o');
export const compiledContact = compiledChildRecord('Contact', 'k');

allowJsonText('customer');
allowJsonText('interaction');
allowJsonText('order');
allowJsonText('contact');
allowJsonText('customers');
allowJsonText('contacts');
allowJsonText('interactions');
allowJsonText('followUps');
allowJsonText('orders');
allowJsonText('evaluations');
provideCompiledRead('contacts', compiledContacts);
provideCompiledRead('contact', (context: Context, info: GraphQLResolveInfo, id: string) => compiledContact(context, info, id));
provideCompiledRead('evaluations', compiledEvaluations);
