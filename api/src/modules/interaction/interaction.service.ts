import { randomUUID } from 'node:crypto';
import { ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { selectList } from '../../common/orm/columns.js';
import { Conditions, keysetPage, type SortKey } from '../../common/orm/keyset.js';
import type { Row } from '../../common/orm/loaders.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import type { RequestScope } from '../../context.js';
import { Contact } from '../contact/contact.entity.js';
import { accountForWrite, scopeToReadableAccounts, writableCustomer, type ChildOf } from '../contact/index.js';
import { Interaction } from './interaction.entity.js';
import {
  InteractionSortField,
  type FollowUpsArgs,
  type InteractionsArgs,
  type LogInteractionInput,
  type UpdateInteractionInput,
} from './interaction.inputs.js';

const SORT: Record<InteractionSortField, SortKey> = {
  [InteractionSortField.OCCURRED_AT]: { property: 'occurredAt', cast: 'timestamptz' },
  [InteractionSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
};

const FOLLOW_UP_ON: SortKey = { property: 'followUpOn', cast: 'date' };

/** Days ahead a follow-up list reaches when the caller names no date: today and the next 14 days. */
const FOLLOW_UP_DAYS = 15;

/** Clock skew and time zones allow a little; a visit logged for next week is a mistake. */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** One `?` per value: the driver expands an array bound to a single `?` into a list, never an SQL array. */
function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

const INTERACTION: ChildOf = { type: 'Interaction', sql: 'select customer_id as "customerId" from interaction where id = ?' };

function occurredAt(value: Date): Date {
  if (value.getTime() > Date.now() + MAX_FUTURE_MS)
    throw new BadUserInputError('occurredAt', 'occurredAt cannot be more than one day in the future');
  return value;
}

function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw new BadUserInputError(field, `${field} must not be blank`);
  return text;
}

/** The contact named in input, which must belong to the interaction's customer. */
async function contactFor(em: EntityManager, customerId: string, contactId: string): Promise<Contact> {
  const contact = await em.findOne(Contact, { id: requireId(contactId, 'contactId') });
  if (!contact) throw new NotFoundError('Contact', contactId);
  if (idOf(contact.customer as RelationValue) !== customerId)
    throw new BadUserInputError('contactId', 'The contact belongs to another customer');
  return contact;
}

type Details = Partial<Pick<Interaction, 'outcome' | 'nextStep' | 'followUpOn'>>;

/** The optional details an input sets (an absent one stays as it is; blank text clears it). */
function pick(input: LogInteractionInput | UpdateInteractionInput): Details {
  const details: Details = {};
  if (input.outcome !== undefined) details.outcome = input.outcome?.trim() || null;
  if (input.nextStep !== undefined) details.nextStep = input.nextStep?.trim() || null;
  if (input.followUpOn !== undefined) details.followUpOn = input.followUpOn;
  return details;
}

function applyDetails(interaction: Interaction, input: UpdateInteractionInput): void {
  Object.assign(interaction, pick(input));
}

export class InteractionService {
  constructor(private readonly scope: RequestScope) {}

  /** The conditions, sort and direction of an interactions page, over alias `i` (the compiled read uses them too). */
  listQuery(args: InteractionsArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const { reach } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'i.customer_id');
    const filter = args.filter;
    if (filter?.customerId) where.add('i.customer_id = ?', requireId(filter.customerId, 'filter.customerId'));
    if (filter?.authorId) where.add('i.author_id = ?', requireId(filter.authorId, 'filter.authorId'));
    if (filter?.contactId) where.add('i.contact_id = ?', requireId(filter.contactId, 'filter.contactId'));
    if (filter?.kinds?.length) where.add(`i.kind in (${placeholders(filter.kinds)})`, ...filter.kinds);
    if (filter?.channels?.length) where.add(`i.channel in (${placeholders(filter.channels)})`, ...filter.channels);
    if (filter?.occurredAfter) where.add('i.occurred_at >= ?', filter.occurredAfter);
    if (filter?.occurredBefore) where.add('i.occurred_at < ?', filter.occurredBefore);
    if (filter?.followUpDueBy) where.add('i.follow_up_on <= ?::date', filter.followUpDueBy);
    return {
      where,
      sort: SORT[args.orderBy?.field ?? InteractionSortField.OCCURRED_AT],
      direction: args.orderBy?.direction ?? SortDirection.DESC,
    };
  }

  /** Interactions on the accounts the viewer may open. */
  list(args: InteractionsArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<Interaction>(this.scope.em, Interaction, 'i', where, { first: args.first, after: args.after, sort, direction });
  }

  /**
   * Follow-ups due before a date, overdue ones included, soonest first: for a user those on the
   * accounts they own (the ones they must call back), for an API key those on every account it
   * may open, the key owning none. Always within the accounts the viewer may open.
   */
  followUps(args: FollowUpsArgs) {
    const { where, sort, direction } = this.followUpsQuery(args);
    return keysetPage<Interaction>(this.scope.em, Interaction, 'i', where, { first: args.first, after: args.after, sort, direction });
  }

  /** `followUps`' conditions over alias `i` and its order, as the resolvers and the compiled read both page them. */
  followUpsQuery(args: FollowUpsArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const { reach, viewer } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'i.customer_id');
    where.add('i.follow_up_on is not null');
    if (args.dueBefore) where.add('i.follow_up_on < ?::date', args.dueBefore);
    else where.add(`i.follow_up_on < current_date + ${FOLLOW_UP_DAYS}`);
    if (viewer.kind === 'USER')
      where.add('i.customer_id in (select oc.id from customer oc where oc.owner_id = ? and oc.archived_at is null)', viewer.id);
    return { where, sort: FOLLOW_UP_ON, direction: SortDirection.ASC };
  }

  /**
   * The author is the signed-in user. An API key is no user: what an integration pushes is
   * attributed to the account's owner, as the schema says, and nothing claims more than that.
   * The new interaction comes back as the row a reader gets, from the insert itself (whoever may
   * write an account may read it, and row-level security checks the returned row like any read).
   */
  log(input: LogInteractionInput): Promise<Row> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const customer = await writableCustomer(tx, this.scope, input.customerId);
      const contact = input.contactId ? await contactFor(tx, customer.id, input.contactId) : null;
      const details = pick(input);
      const now = new Date();
      const [row] = await tx.execute<Row[]>(
        `insert into interaction as i (id, created_at, updated_at, version, customer_id, contact_id, author_id, kind, channel,
           occurred_at, summary, outcome, next_step, follow_up_on)
         values (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         returning ${selectList(tx.getMetadata(), Interaction, 'i')}`,
        [
          randomUUID(),
          now,
          now,
          customer.id,
          contact?.id ?? null,
          viewer.kind === 'USER' ? viewer.id : customer.owner.id,
          input.kind,
          input.channel,
          occurredAt(input.occurredAt ?? new Date()),
          requiredText(input.summary, 'summary'),
          details.outcome ?? null,
          details.nextStep ?? null,
          details.followUpOn ?? null,
        ],
      );
      return row!;
    });
  }

  update(id: string, input: UpdateInteractionInput): Promise<Interaction> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, INTERACTION, id);
      const interaction = await loadForUpdate(tx, Interaction, requireId(id, 'id'), input.version);
      if (input.contactId !== undefined) {
        const customerId = idOf(interaction.customer as RelationValue)!;
        interaction.contact = input.contactId ? ref(await contactFor(tx, customerId, input.contactId)) : null;
      }
      if (input.kind != null) interaction.kind = input.kind;
      if (input.channel != null) interaction.channel = input.channel;
      if (input.occurredAt != null) interaction.occurredAt = occurredAt(input.occurredAt);
      if (input.summary != null) interaction.summary = requiredText(input.summary, 'summary');
      applyDetails(interaction, input);
      await tx.flush();
      return interaction;
    });
  }

  remove(id: string, version: number): Promise<boolean> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, INTERACTION, id);
      const interaction = await loadForUpdate(tx, Interaction, requireId(id, 'id'), version, { lock: true });
      tx.remove(interaction);
      await tx.flush();
      return true;
    });
  }
}
