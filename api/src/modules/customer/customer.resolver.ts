import type { GraphQLResolveInfo } from 'graphql';
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Info,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { PageArgs, SortDirection, connectionType, type Connection } from '../../common/graphql/connection.js';
import { type Row } from '../../common/orm/loaders.js';
import { assertReadable, usersAndScope } from '../access/index.js';
import { AccessLevel, mayOpenCycle } from '../access/index.js';
import { Scope } from '../../common/access/index.js';
import { fromWrite, readBack } from '../../common/orm/loaders.js';
import { rowOf } from '../../common/orm/columns.js';
import { isUuid } from '../../common/graphql/ids.js';
import { viewerOf, type Context } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { Evaluation, EvaluationCycle } from '../evaluation/evaluation.entity.js';
import type { EvaluationCycleRow, EvaluationRow } from '../evaluation/index.js';
import { CycleStatus } from '../evaluation/evaluation.entity.js';
import { Interaction } from '../interaction/interaction.entity.js';
import { Order } from '../order/order.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { Customer } from './customer.entity.js';
import type { MaskedCustomerRow } from './customer.rows.js';
import { compiledCustomer, compiledCustomers } from './customer.compiled.js';
import {
  CONTACTS_ORDER_BY,
  directoryCardById,
  evaluationsOfCustomer,
  latestGradeByCustomer,
  regionOfTerritory,
} from './customer.loaders.js';
import { CreateCustomerInput, CustomerScope, CustomersArgs, UpdateCustomerInput } from './customer.inputs.js';

export const CustomerConnection = connectionType(Customer, 'Customer');
export const InteractionConnection = connectionType(Interaction, 'Interaction');
export const OrderConnection = connectionType(Order, 'Order');

@ObjectType({ simpleResolvers: true })
export class Address {
  @Field(() => String, { nullable: true }) line!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true }) province!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) country!: string | null;
}

@ArgsType()
class TimelineArgs extends PageArgs {}

/** A page of customer rows as the viewer may see them: each edge carries the masked row, never the loaded one. */
function guardPage<T extends Row>(context: Context, page: Connection<T>): Connection<T> {
  const edges = page.edges.flatMap((edge) => context.loaders.guard(Customer, [edge.node]).map((node) => ({ ...edge, node })));
  return { ...page, edges };
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => Customer, {
    nullable: true,
    description: 'An account in full, or as its directory card when the viewer may only know it exists.',
  })
  async customer(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    if (!isUuid(id)) return null;
    // One statement where the answer needs no masking; the resolvers below answer the rest.
    const compiled = context.config.compiledReads ? await compiledCustomer(context, info, id) : null;
    if (compiled) return compiled;
    const { loaders } = context;
    const found = await loaders.byId<MaskedCustomerRow>(Customer).load(id);
    if (found && !found.mergedInto) return found;
    // A merged record answers with its survivor (the lineage, followed past row-level security), as the compiled read does.
    const [lineage] = await context.em.execute<{ id: string }[]>('select app_merge_survivor(?::uuid) as id', [id.toLowerCase()]);
    const current = lineage?.id ?? id;
    if (current === id) return found ?? directoryCardById(loaders).load(id);
    return (await loaders.byId(Customer).load(current)) ?? directoryCardById(loaders).load(current);
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => CustomerConnection)
  async customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement where the page needs no masking; the resolvers below answer the rest (directory listings among them).
    const compiled = context.config.compiledReads ? await compiledCustomers(context, info, args) : null;
    if (compiled) return compiled;
    if (args.scope === CustomerScope.DIRECTORY) return context.services.customers.directory(args);
    return context.services.customers.list(args).then((page) => guardPage(context, page as unknown as Connection<Row>));
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => [String], {
    description:
      'The industries of the accounts the viewer may open, one per industry whatever its case (filter.industry matches case-insensitively).',
  })
  customerIndustries(@Ctx() context: Context) {
    return context.services.customers.industries();
  }

  @Authorized(usersAndScope(Scope.EVALUATIONS_READ))
  @Query(() => [String], {
    description: 'The grades of the latest published evaluation cycle, best first: the values of Customer.grade and filter.grades.',
  })
  customerGrades(@Ctx() context: Context) {
    return context.services.customers.grades();
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Grade in the latest published evaluation cycle; null when not evaluated in it or below every grade.',
  })
  grade(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'evaluations');
    return latestGradeByCustomer(loaders).load(customer.id);
  }

  @FieldResolver(() => AccessLevel, { description: 'What the viewer may do with this account.' })
  access(@Root() customer: MaskedCustomerRow): AccessLevel {
    return customer.access;
  }

  @FieldResolver(() => Region, { description: 'The top-level region the territory belongs to.' })
  region(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    return regionOfTerritory(loaders).load(customer.territory);
  }

  @FieldResolver(() => Address, { nullable: true })
  address(@Root() customer: MaskedCustomerRow): Address {
    assertReadable(customer, 'profile');
    return {
      line: customer.addressLine ?? null,
      city: customer.city ?? null,
      province: customer.province ?? null,
      postalCode: customer.postalCode ?? null,
      country: customer.country ?? null,
    };
  }

  @FieldResolver(() => Region)
  territory(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(customer.territory);
  }

  @FieldResolver(() => User)
  owner(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(customer.owner);
  }

  @FieldResolver(() => [Contact], { nullable: true })
  contacts(@Root() customer: MaskedCustomerRow, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'contacts');
    return loaders.childrenOf(Contact, 'customer', CONTACTS_ORDER_BY).load(customer.id);
  }

  @FieldResolver(() => InteractionConnection, { nullable: true, description: 'Newest first.' })
  interactions(@Root() customer: MaskedCustomerRow, @Args(() => TimelineArgs) args: TimelineArgs, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'interactions');
    return loaders
      .pageOf(Interaction, {
        parent: 'customer',
        sort: 'occurredAt',
        cast: 'timestamptz',
        direction: SortDirection.DESC,
        first: args.first,
        after: args.after,
      })
      .load(customer.id);
  }

  @FieldResolver(() => OrderConnection, { nullable: true, description: 'Newest first.' })
  orders(@Root() customer: MaskedCustomerRow, @Args(() => TimelineArgs) args: TimelineArgs, @Ctx() { loaders }: Context) {
    assertReadable(customer, 'orders');
    return loaders
      .pageOf(Order, {
        parent: 'customer',
        sort: 'orderedAt',
        cast: 'timestamptz',
        direction: SortDirection.DESC,
        first: args.first,
        after: args.after,
      })
      .load(customer.id);
  }

  @FieldResolver(() => [Evaluation], {
    nullable: true,
    description:
      'Results of every evaluation cycle, newest cycle first, with those of records merged into this one (Evaluation.mergedFrom).',
  })
  async evaluations(@Root() customer: MaskedCustomerRow, @Ctx() context: Context) {
    assertReadable(customer, 'evaluations');
    const { loaders } = context;
    const rows: EvaluationRow[] = await evaluationsOfCustomer(loaders).load(customer.id);
    const viewer = viewerOf(context);
    if (mayOpenCycle(viewer, false)) return rows;
    const cycles = await loaders.byId<EvaluationCycleRow>(EvaluationCycle).loadMany(rows.map((row) => row.cycle));
    return rows.filter((_, index) => {
      const cycle = cycles[index];
      return cycle && !(cycle instanceof Error) && mayOpenCycle(viewer, cycle.status === CycleStatus.PUBLISHED);
    });
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_WRITE))
  @Mutation(() => Customer, { description: 'Fails with DUPLICATE_OWNED when the customer already exists under another owner.' })
  async createCustomer(@Arg('input', () => CreateCustomerInput) input: CreateCustomerInput, @Ctx() context: Context) {
    const customer = await context.services.customers.create(input);
    return readBack(context.loaders, Customer, customer.id);
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_WRITE))
  @Mutation(() => Customer, { description: 'Profile changes; owner and territory change through a transfer.' })
  async updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Ctx() context: Context,
  ) {
    const customer = await context.services.customers.update(id, input);
    return fromWrite(context.loaders, Customer, rowOf(context.em.getMetadata(), Customer, customer));
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_WRITE))
  @Mutation(() => Customer, { description: 'Hide the customer from lists; its history stays.' })
  async archiveCustomer(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    await context.services.customers.setArchived(id, version, true);
    return readBack(context.loaders, Customer, id);
  }

  @Authorized(usersAndScope(Scope.CUSTOMERS_WRITE))
  @Mutation(() => Customer)
  async restoreCustomer(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    await context.services.customers.setArchived(id, version, false);
    return readBack(context.loaders, Customer, id);
  }
}
