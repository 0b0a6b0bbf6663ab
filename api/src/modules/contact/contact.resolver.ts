import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import type { Context } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { Contact } from './contact.entity.js';
import { ContactsArgs, CreateContactInput, UpdateContactInput } from './contact.inputs.js';
import { ContactService } from './contact.service.js';

export const ContactConnection = connectionType(Contact, 'Contact');

@ObjectType({ simpleResolvers: true, description: 'A handle on one IM network (WeChat, QQ, …).' })
export class ImHandle {
  @Field(() => String, { description: 'Lower-case network name, e.g. wechat, qq.' })
  network!: string;

  @Field(() => String)
  handle!: string;
}

@Authorized()
@Resolver(() => Contact)
export class ContactResolver {
  private readonly service = new ContactService();

  @Query(() => Contact, { nullable: true })
  contact(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(Contact).load(id) : null;
  }

  @Query(() => ContactConnection)
  contacts(@Args(() => ContactsArgs) args: ContactsArgs, @Ctx() { em }: Context) {
    return this.service.list(em, args);
  }

  @FieldResolver(() => Customer)
  customer(@Root() contact: Contact, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(idOf(contact.customer as RelationValue)!);
  }

  @FieldResolver(() => [ImHandle], { description: 'By network name.' })
  imHandles(@Root() contact: Contact): ImHandle[] {
    return Object.entries(contact.imHandles ?? {})
      .map(([network, handle]) => ({ network, handle: String(handle) }))
      .sort((a, b) => a.network.localeCompare(b.network));
  }

  @Mutation(() => Contact)
  createContact(@Arg('input', () => CreateContactInput) input: CreateContactInput, @Ctx() { em }: Context) {
    return this.service.create(em, input);
  }

  @Mutation(() => Contact)
  updateContact(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateContactInput) input: UpdateContactInput, @Ctx() { em }: Context) {
    return this.service.update(em, id, input);
  }

  @Mutation(() => Boolean, { description: "The contact's interactions stay, without a contact." })
  deleteContact(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() { em }: Context) {
    return this.service.remove(em, id, version);
  }
}
