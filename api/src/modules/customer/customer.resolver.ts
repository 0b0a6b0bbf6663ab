import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, SortDirection, connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { viewerOf, type Context } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { Evaluation } from '../evaluation/evaluation.entity.js';
import { Interaction } from '../interaction/interaction.entity.js';
import { Order } from '../order/order.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { Customer } from './customer.entity.js';
import { CreateCustomerInput, CustomersArgs, UpdateCustomerInput } from './customer.inputs.js';
import { CustomerService } from './customer.service.js';

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

@Authorized()
@Resolver(() => Customer)
export class CustomerResolver {
  private readonly service = new CustomerService();

  @Query(() => Customer, { nullable: true })
  customer(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(Customer).load(id) : null;
  }

  @Query(() => CustomerConnection)
  customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() { em }: Context) {
    return this.service.list(em, args);
  }

  @FieldResolver(() => Address)
  address(@Root() customer: Customer): Address {
    return { line: customer.addressLine ?? null, city: customer.city ?? null, province: customer.province ?? null, postalCode: customer.postalCode ?? null, country: customer.country ?? null };
  }

  @FieldResolver(() => Region)
  territory(@Root() customer: Customer, @Ctx() { loaders }: Context) {
    return loaders.byId(Region).load(idOf(customer.territory as RelationValue)!);
  }

  @FieldResolver(() => User)
  owner(@Root() customer: Customer, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(idOf(customer.owner as RelationValue)!);
  }

  @FieldResolver(() => [Contact])
  contacts(@Root() customer: Customer, @Ctx() { loaders }: Context) {
    return loaders.childrenOf(Contact, 'customer', 't.name, t.id').load(customer.id);
  }

  @FieldResolver(() => InteractionConnection, { description: 'Newest first.' })
  interactions(@Root() customer: Customer, @Args(() => TimelineArgs) args: TimelineArgs, @Ctx() { loaders }: Context) {
    return loaders.pageOf(Interaction, { parent: 'customer', sort: 'occurredAt', cast: 'timestamptz', direction: SortDirection.DESC, first: args.first, after: args.after }).load(customer.id);
  }

  @FieldResolver(() => OrderConnection, { description: 'Newest first.' })
  orders(@Root() customer: Customer, @Args(() => TimelineArgs) args: TimelineArgs, @Ctx() { loaders }: Context) {
    return loaders.pageOf(Order, { parent: 'customer', sort: 'orderedAt', cast: 'timestamptz', direction: SortDirection.DESC, first: args.first, after: args.after }).load(customer.id);
  }

  @FieldResolver(() => [Evaluation], { description: 'Results of every evaluation cycle, newest cycle first.' })
  evaluations(@Root() customer: Customer, @Ctx() { loaders }: Context) {
    return loaders.childrenOf(Evaluation, 'customer', 't.created_at desc, t.id').load(customer.id);
  }

  @Mutation(() => Customer)
  createCustomer(@Arg('input', () => CreateCustomerInput) input: CreateCustomerInput, @Ctx() context: Context) {
    return this.service.create(context.em, viewerOf(context), input);
  }

  @Mutation(() => Customer)
  updateCustomer(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput, @Ctx() { em }: Context) {
    return this.service.update(em, id, input);
  }

  @Mutation(() => Customer, { description: 'Hide the customer from lists; its history stays.' })
  archiveCustomer(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.setArchived(em, id, version, true);
  }

  @Mutation(() => Customer)
  restoreCustomer(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.setArchived(em, id, version, false);
  }
}
