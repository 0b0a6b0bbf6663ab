import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { assertPiiReadable, usersAndScope } from '../access/index.js';
import { connectionType, type Connection } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { readBack, type Row } from '../../common/orm/loaders.js';
import { type Context } from '../../context.js';
import { Scope } from '../../common/access/index.js';
import { Customer } from '../customer/customer.entity.js';
import { Contact, type ImHandles } from './contact.entity.js';
import type { MaskedContactRow } from './contact.rows.js';
import { compiledRead } from '../../common/graphql/compile/passthrough.js';
import { ContactsArgs, CreateContactInput, UpdateContactInput } from './contact.inputs.js';
import { readableById } from './contact.service.js';

export const ContactConnection = connectionType(Contact, 'Contact');

@ObjectType({ simpleResolvers: true, description: 'A handle on one IM network (WeChat, QQ, …).' })
export class ImHandle {
  @Field(() => String, { description: 'Lower-case network name, e.g. wechat, qq.' })
  network!: string;

  @Field(() => String)
  handle!: string;
}

/** IM handles as the API lists them: by network name. */
export function imHandleList(handles: ImHandles | null): ImHandle[] {
  return Object.entries(handles ?? {})
    .map(([network, handle]) => ({ network, handle: String(handle) }))
    .sort((a, b) => a.network.localeCompare(b.network));
}

/** Masks every contact of a page (personal data hidden from keys without pii:read). */
function maskPage<T extends Row>({ loaders }: Context, page: Connection<T>): Connection<T> {
  return { ...page, edges: page.edges.flatMap((edge) => loaders.guard(Contact, [edge.node]).map((node) => ({ ...edge, node }))) };
}

@Resolver(() => Contact)
export class ContactResolver {
  @Authorized(usersAndScope(Scope.CONTACTS_READ))
  @Query(() => Contact, { nullable: true, description: 'Null unless the viewer may open the account.' })
  async contact(@Arg('id', () => ID) id: string, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledRead<string>('contact')?.(context, info, id) : null;
    if (compiled) return compiled;
    return isUuid(id) ? readableById(context.loaders, context.reach, Contact).load(id) : null;
  }

  @Authorized(usersAndScope(Scope.CONTACTS_READ))
  @Query(() => ContactConnection, { description: 'Contacts of the accounts the viewer may open. Keys without pii:read search names only.' })
  async contacts(@Args(() => ContactsArgs) args: ContactsArgs, @Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    // One statement where the page needs no masking; the resolvers below answer the rest.
    const compiled = context.config.compiledReads ? await compiledRead<ContactsArgs>('contacts')?.(context, info, args) : null;
    if (compiled) return compiled;
    return maskPage(context, (await context.services.contacts.list(args)) as unknown as Connection<Row>);
  }

  @FieldResolver(() => Customer)
  customer(@Root() contact: MaskedContactRow, @Ctx() { loaders }: Context) {
    return loaders.byId(Customer).load(contact.customer);
  }

  @FieldResolver(() => [ImHandle], { nullable: true, description: 'By network name. Null where hidden from the viewer (personal data).' })
  imHandles(@Root() contact: MaskedContactRow): ImHandle[] {
    assertPiiReadable(contact);
    return imHandleList(contact.imHandles ?? null);
  }

  @Authorized(usersAndScope(Scope.CONTACTS_WRITE))
  @Mutation(() => Contact)
  async createContact(@Arg('input', () => CreateContactInput) input: CreateContactInput, @Ctx() context: Context) {
    const contact = await context.services.contacts.create(input);
    return readBack(context.loaders, Contact, contact.id, (fresh) => readableById(fresh, context.reach, Contact));
  }

  @Authorized(usersAndScope(Scope.CONTACTS_WRITE))
  @Mutation(() => Contact)
  async updateContact(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateContactInput) input: UpdateContactInput,
    @Ctx() context: Context,
  ) {
    await context.services.contacts.update(id, input);
    return readBack(context.loaders, Contact, id, (fresh) => readableById(fresh, context.reach, Contact));
  }

  @Authorized(usersAndScope(Scope.CONTACTS_WRITE))
  @Mutation(() => Boolean, { description: "The contact's interactions stay, without a contact." })
  deleteContact(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.contacts.remove(id, version);
  }
}
