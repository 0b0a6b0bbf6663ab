import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../common/access/index.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, VersionConflictError } from '../../common/errors/errors.js';
import { SortDirection, type Connection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { keysetPage } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { transactional } from '../../common/orm/transaction.js';
import { ownerFitsSql } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { RequestScope } from '../../context.js';
import { Customer } from '../customer/customer.entity.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { TransferRequest, TransferStatus } from './transfer.entity.js';
import type { RequestTransferInput, TransferRequestsArgs } from './transfer.inputs.js';
import { assertMayDecide, assertMayFileFor, canSeeTransfer, visibleTransfers, type TransferParties } from './transfer.permissions.js';

const MAX_COMMENT = 2000;

/**
 * The reason the ownership-history trigger records for owner/territory changes in this
 * transaction (it reads `app.change_reason`). Clear it after the change, so a later mutation
 * in the same request does not inherit it.
 */
export async function setChangeReason(em: EntityManager, reason: string): Promise<void> {
  await em.execute(`select set_config('app.change_reason', ?, true)`, [reason]);
}

/** A territory (lowest level of the tree) named in input, or BAD_USER_INPUT for `field`. */
export async function requireTerritory(em: EntityManager, id: string, field: string): Promise<string> {
  const [row] = await em.execute<{ kind: string }[]>('select kind from region where id = ?', [requireId(id, field)]);
  if (!row) throw new BadUserInputError(field, `${field} names no region`);
  if (row.kind !== 'TERRITORY') throw new BadUserInputError(field, 'Accounts belong to a territory, the lowest level of the region tree');
  return id.toLowerCase();
}

/** The territories among `territoryIds` the user cannot own accounts in (`ownerFitsSql`). */
export async function territoriesOwnerMisfits(em: EntityManager, ownerId: string, territoryIds: readonly string[]): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select t.id from unnest(?::uuid[]) as t(id) where not ${ownerFitsSql('?::uuid', 't.id')}`,
    [pgArray(territoryIds), ownerId],
  );
  return rows.map((row) => row.id);
}

/**
 * Where the account goes when the request names no territory: it stays in its territory when the
 * new owner works there (a rep of it, or a manager of a region above it); otherwise it goes to the
 * new owner's only territory; a new owner with several must be given one.
 */
async function defaultTerritory(em: EntityManager, ownerId: string, currentTerritoryId: string): Promise<string> {
  const [row] = await em.execute<{ territories: string[] }[]>(
    `select coalesce(array(
       select ut.region_id::text from user_territory ut where ut.user_id = u.id and u.role = 'REP'
       union
       select d.id::text from user_managed_region m join region a on a.id = m.region_id
         join region d on d.kind = 'TERRITORY' and (d.path = a.path or starts_with(d.path, a.path || '/'))
        where m.user_id = u.id and u.role = 'MANAGER'), '{}') as territories
     from app_user u where u.id = ? and u.active`,
    [ownerId],
  );
  if (!row) throw new BadUserInputError('toOwnerId', 'The new owner must be an active user');
  if (row.territories.includes(currentTerritoryId)) return currentTerritoryId;
  if (row.territories.length === 1) return row.territories[0]!;
  throw new BadUserInputError(
    'toTerritoryId',
    'Choose the territory the account moves to: the new owner does not work in its current territory',
  );
}

export function partiesOf(request: Pick<TransferRequest, 'requestedBy' | 'fromOwner' | 'fromTerritory' | 'toTerritory'>): TransferParties {
  return {
    requestedBy: idOf(request.requestedBy as RelationValue)!,
    fromOwner: idOf(request.fromOwner as RelationValue)!,
    fromTerritory: idOf(request.fromTerritory as RelationValue)!,
    toTerritory: idOf(request.toTerritory as RelationValue)!,
  };
}

function optionalComment(comment: string | null | undefined): string | null {
  const text = comment?.trim() || null;
  if (text && text.length > MAX_COMMENT) throw new BadUserInputError('comment', `comment must be at most ${MAX_COMMENT} characters`);
  return text;
}

interface DirectoryCard {
  owner: string;
  territory: string;
}

export class TransferService {
  constructor(private readonly scope: RequestScope) {}

  /** Requests the viewer may see, newest first. */
  list(args: TransferRequestsArgs): Promise<Connection<TransferRequest>> {
    const { em, viewer } = this.scope;
    const where = visibleTransfers(viewer);
    const filter = args.filter;
    if (filter?.status) where.add('t.status = ?', filter.status);
    if (filter?.customerId) where.add('t.customer_id = ?', requireId(filter.customerId, 'filter.customerId'));
    if (filter?.mine) where.add('t.requested_by_id = ?', viewer.id);
    return keysetPage<TransferRequest>(em, TransferRequest, 't', where, {
      first: args.first,
      after: args.after,
      sort: { property: 'createdAt', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  /**
   * Files a request. The account is read from the directory, so a rep can ask for an account
   * they may only know exists. One pending request per account and requester.
   */
  request(input: RequestTransferInput): Promise<TransferRequest> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const customerId = requireId(input.customerId, 'customerId');
      const reason = input.reason.trim();
      if (reason.length < 5) throw new BadUserInputError('reason', 'reason must be 5–2000 characters');
      const [card] = await tx.execute<DirectoryCard[]>(
        'select d.owner_id as owner, d.territory_id as territory from customer_directory d where d.customer_id = ?',
        [customerId],
      );
      if (!card) throw new NotFoundError('Customer', input.customerId);
      const toOwnerId = input.toOwnerId ? requireId(input.toOwnerId, 'toOwnerId') : viewer.id;
      assertMayFileFor(viewer, toOwnerId);
      const toTerritoryId = input.toTerritoryId
        ? await requireTerritory(tx, input.toTerritoryId, 'toTerritoryId')
        : await defaultTerritory(tx, toOwnerId, card.territory);
      if ((await territoriesOwnerMisfits(tx, toOwnerId, [toTerritoryId])).length) {
        throw new BadUserInputError('toOwnerId', 'The new owner must be an active rep of the target territory or a manager of its region');
      }
      if (card.owner === toOwnerId && card.territory === toTerritoryId) {
        throw new BadUserInputError('toOwnerId', 'The account already has this owner and territory');
      }
      // Serialises concurrent requests by the same requester for the same account, so the
      // pending check below cannot be raced.
      await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`transfer:${customerId}:${viewer.id}`]);
      const [pending] = await tx.execute<{ id: string }[]>(
        `select id from transfer_request where customer_id = ? and requested_by_id = ? and status = 'PENDING'`,
        [customerId, viewer.id],
      );
      if (pending) throw new ConflictError('You already have a pending request for this account', { existingId: pending.id });
      const request = tx.create(TransferRequest, {
        customer: tx.getReference(Customer, customerId),
        fromOwner: tx.getReference(User, card.owner),
        fromTerritory: tx.getReference(Region, card.territory),
        toOwner: tx.getReference(User, toOwnerId),
        toTerritory: tx.getReference(Region, toTerritoryId),
        requestedBy: tx.getReference(User, viewer.id),
        reason,
        status: TransferStatus.PENDING,
      });
      await tx.flush();
      await recordAudit(tx, viewer, {
        action: AuditAction.TRANSFER_REQUESTED,
        entityType: 'TransferRequest',
        entityId: request.id,
        regionIds: [card.territory, toTerritoryId],
        after: {
          customerId,
          fromOwnerId: card.owner,
          fromTerritoryId: card.territory,
          toOwnerId,
          toTerritoryId,
          status: TransferStatus.PENDING,
        },
        reason,
      });
      return request;
    });
  }

  /**
   * Moves the account, in one transaction: the request row and then the customer row are locked
   * (SELECT … FOR UPDATE), so a concurrent profile edit either commits first — and survives, as
   * only owner and territory are written — or finds a newer version and fails with CONFLICT.
   */
  approve(id: string, version: number, comment: string | null | undefined): Promise<TransferRequest> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const decisionComment = optionalComment(comment);
      const request = await this.pending(tx, viewer, id, version, assertMayDecide);
      const parties = partiesOf(request);
      const toOwnerId = request.toOwner.id;
      const customer = await tx.findOne(Customer, { id: request.customer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!customer) throw new NotFoundError('Customer', request.customer.id);
      const before = { ownerId: customer.owner.id, territoryId: customer.territory.id, version: customer.version };
      if (before.ownerId !== parties.fromOwner || before.territoryId !== parties.fromTerritory) {
        throw new ConflictError(
          'The account has moved since the request was filed; reject the request and file a new one if still wanted',
          { customerId: customer.id },
        );
      }
      if ((await territoriesOwnerMisfits(tx, toOwnerId, [parties.toTerritory])).length) {
        throw new ConflictError('The new owner no longer works in the target territory; reject the request', { field: 'toOwnerId' });
      }
      await setChangeReason(tx, `Transfer ${request.id}: ${request.reason}`);
      customer.owner = tx.getReference(User, toOwnerId, { wrapped: true });
      customer.territory = tx.getReference(Region, parties.toTerritory, { wrapped: true });
      request.status = TransferStatus.APPROVED;
      request.decidedBy = tx.getReference(User, viewer.id, { wrapped: true });
      request.decidedAt = new Date();
      request.decisionComment = decisionComment;
      await tx.flush();
      await setChangeReason(tx, '');
      const regionIds = [parties.fromTerritory, parties.toTerritory];
      await recordAudit(tx, viewer, {
        action: AuditAction.CUSTOMER_TRANSFERRED,
        entityType: 'Customer',
        entityId: customer.id,
        regionIds,
        before,
        after: { ownerId: toOwnerId, territoryId: parties.toTerritory, version: customer.version, transferRequestId: request.id },
        reason: request.reason,
      });
      await recordAudit(tx, viewer, {
        action: AuditAction.TRANSFER_APPROVED,
        entityType: 'TransferRequest',
        entityId: request.id,
        regionIds,
        before: { status: TransferStatus.PENDING },
        after: { status: TransferStatus.APPROVED, customerId: customer.id },
        reason: decisionComment,
      });
      return request;
    });
  }

  reject(id: string, version: number, comment: string): Promise<TransferRequest> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const decisionComment = optionalComment(comment);
      if (!decisionComment) throw new BadUserInputError('comment', 'A rejection needs a comment saying why');
      const request = await this.pending(tx, viewer, id, version, assertMayDecide);
      request.status = TransferStatus.REJECTED;
      request.decidedBy = tx.getReference(User, viewer.id, { wrapped: true });
      request.decidedAt = new Date();
      request.decisionComment = decisionComment;
      await tx.flush();
      await this.auditDecision(tx, viewer, request, AuditAction.TRANSFER_REJECTED, decisionComment);
      return request;
    });
  }

  cancel(id: string, version: number): Promise<TransferRequest> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const request = await this.pending(tx, viewer, id, version, (who, parties) => {
        if (parties.requestedBy !== who.id) throw new ForbiddenError('Only the requester may cancel a request');
      });
      request.status = TransferStatus.CANCELLED;
      request.decidedBy = tx.getReference(User, viewer.id, { wrapped: true });
      request.decidedAt = new Date();
      await tx.flush();
      await this.auditDecision(tx, viewer, request, AuditAction.TRANSFER_CANCELLED, null);
      return request;
    });
  }

  private async auditDecision(
    tx: EntityManager,
    viewer: Viewer,
    request: TransferRequest,
    action: AuditAction,
    comment: string | null,
  ): Promise<void> {
    const parties = partiesOf(request);
    await recordAudit(tx, viewer, {
      action,
      entityType: 'TransferRequest',
      entityId: request.id,
      regionIds: [parties.fromTerritory, parties.toTerritory],
      before: { status: TransferStatus.PENDING },
      after: { status: request.status, customerId: request.customer.id },
      reason: comment,
    });
  }

  /**
   * A pending request the viewer may act on, locked: NOT_FOUND when they may not see it,
   * FORBIDDEN when they may see but not act, CONFLICT on a stale version or a closed request.
   */
  private async pending(
    tx: EntityManager,
    viewer: Viewer,
    id: string,
    version: number,
    mayAct: (viewer: Viewer, parties: TransferParties) => void,
  ): Promise<TransferRequest> {
    const requestId = requireId(id, 'id');
    const request = await tx.findOne(TransferRequest, { id: requestId });
    if (!request || !canSeeTransfer(viewer, partiesOf(request))) throw new NotFoundError('TransferRequest', id);
    mayAct(viewer, partiesOf(request));
    // Locked only once the viewer is known to be allowed: row-level security admits deciders
    // and the requester to FOR UPDATE, and a refused caller should get FORBIDDEN, not NOT_FOUND.
    const locked = await tx.findOne(TransferRequest, { id: requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!locked) throw new NotFoundError('TransferRequest', id);
    if (locked.version !== version) throw new VersionConflictError('TransferRequest', locked.id, locked.version);
    if (locked.status !== TransferStatus.PENDING)
      throw new ConflictError(`The request is already ${locked.status.toLowerCase()}`, { status: locked.status });
    return locked;
  }
}
