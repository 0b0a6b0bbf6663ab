import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ANY_USER, MANAGERS } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { viewerOf, type Context } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { directoryCardById } from '../customer/index.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { TransferRequest } from './transfer.entity.js';
import { RequestTransferInput, TransferRequestsArgs } from './transfer.inputs.js';
import { canSeeTransfer } from './transfer.permissions.js';
import { partiesOf } from './transfer.service.js';

export const TransferRequestConnection = connectionType(TransferRequest, 'TransferRequest');

function user(context: Context, value: unknown) {
  const id = idOf(value as RelationValue);
  return id ? context.loaders.byId(User).load(id) : null;
}

function region(context: Context, value: unknown) {
  return context.loaders.byId(Region).load(idOf(value as RelationValue)!);
}

/** Transfers are between people: users only, never API keys. */
@Authorized(ANY_USER)
@Resolver(() => TransferRequest)
export class TransferResolver {
  @Authorized(ANY_USER)
  @Query(() => TransferRequestConnection, {
    description: 'Newest first. Admins see all; managers those touching their regions; reps those they filed or about accounts they own.',
  })
  transferRequests(@Args(() => TransferRequestsArgs) args: TransferRequestsArgs, @Ctx() context: Context) {
    return context.services.transfers.list(args);
  }

  @Authorized(ANY_USER)
  @Query(() => TransferRequest, { nullable: true })
  async transferRequest(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    if (!isUuid(id)) return null;
    const row = await context.loaders.byId(TransferRequest).load(id);
    return row && canSeeTransfer(viewerOf(context), partiesOf(row as unknown as TransferRequest)) ? row : null;
  }

  @Authorized(ANY_USER)
  @Mutation(() => TransferRequest, {
    description:
      'Ask for an account (typically one you can see only as a directory card). CONFLICT when you already have a pending request for it.',
  })
  requestTransfer(@Arg('input', () => RequestTransferInput) input: RequestTransferInput, @Ctx() context: Context) {
    return context.services.transfers.request(input);
  }

  @Authorized(MANAGERS)
  @Mutation(() => TransferRequest, {
    description: 'Moves the account to the new owner and territory. Admins, or managers of both the source and the target territory.',
  })
  approveTransfer(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() context: Context,
  ) {
    return context.services.transfers.approve(id, version, comment);
  }

  @Authorized(MANAGERS)
  @Mutation(() => TransferRequest, {
    description: 'Admins, or managers of both the source and the target territory; the comment says why.',
  })
  rejectTransfer(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('comment', () => String) comment: string,
    @Ctx() context: Context,
  ) {
    return context.services.transfers.reject(id, version, comment);
  }

  @Authorized(ANY_USER)
  @Mutation(() => TransferRequest, { description: 'Withdraw a pending request; only its requester may.' })
  cancelTransfer(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.transfers.cancel(id, version);
  }

  @FieldResolver(() => Customer, { description: 'In full, or as its directory card where the viewer may only know it exists.' })
  async customer(@Root() request: TransferRequest, @Ctx() { loaders }: Context) {
    const id = idOf(request.customer as RelationValue)!;
    return (await loaders.byId(Customer).load(id)) ?? directoryCardById(loaders).load(id);
  }

  @FieldResolver(() => User)
  fromOwner(@Root() request: TransferRequest, @Ctx() context: Context) {
    return user(context, request.fromOwner);
  }

  @FieldResolver(() => Region)
  fromTerritory(@Root() request: TransferRequest, @Ctx() context: Context) {
    return region(context, request.fromTerritory);
  }

  @FieldResolver(() => User)
  toOwner(@Root() request: TransferRequest, @Ctx() context: Context) {
    return user(context, request.toOwner);
  }

  @FieldResolver(() => Region)
  toTerritory(@Root() request: TransferRequest, @Ctx() context: Context) {
    return region(context, request.toTerritory);
  }

  @FieldResolver(() => User)
  requestedBy(@Root() request: TransferRequest, @Ctx() context: Context) {
    return user(context, request.requestedBy);
  }

  @FieldResolver(() => User, { nullable: true })
  decidedBy(@Root() request: TransferRequest, @Ctx() context: Context) {
    return user(context, request.decidedBy);
  }
}
