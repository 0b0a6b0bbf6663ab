import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Reach, Scope } from '../../common/access/index.js';
import { BadUserInputError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { selectList, tableOf } from '../../common/orm/columns.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import type { Loaders, Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { hasScope } from '../access/index.js';
import { customerForWrite, readableCustomers } from '../access/index.js';
import type { RequestScope } from '../../context.js';
import type { Actor } from '../access/index.js';
import type { Customer } from '../customer/customer.entity.js';
import { normalizeEmail } from '../../common/email.js';
import { Contact, type ImHandles } from './contact.entity.js';
import {
  ContactSortField,
  type ContactsArgs,
  type CreateContactInput,
  type ImHandleInput,
  type UpdateContactInput,
} from './contact.inputs.js';

const SORT: Record<ContactSortField, SortKey> = {
  [ContactSortField.NAME]: { property: 'name', cast: 'text' },
  [ContactSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
  [ContactSortField.UPDATED_AT]: { property: 'updatedAt', cast: 'timestamptz' },
};

// Contacts, interactions and orders are children of an account and follow its access: the
// helpers below are shared by the three modules.

/**
 * Narrows a query over a child table to records of accounts the viewer may open. Row-level
 * security applies the same rule again; this is the first layer, not the only one.
 */
export function scopeToReadableAccounts(where: Conditions, reach: Reach, customerColumn: string): Conditions {
  const readable = readableCustomers(reach, 'rc');
  if (readable.parts.length) where.add(`${customerColumn} in (select rc.id from customer rc ${readable.sql()})`, ...readable.params);
  return where;
}

/** Child records by id, masked, or null when their account is not one the viewer may open. */
export function readableById<T extends Row = Row>(loaders: Loaders, reach: Reach, entity: { name: string }): DataLoader<string, T | null> {
  return loaders.memo(`readableById:${entity.name}`, async (ids) => {
    const meta = loaders.em.getMetadata();
    const where = scopeToReadableAccounts(new Conditions().add('t.id = any(?::uuid[])', pgArray(ids)), reach, 't.customer_id');
    const rows = await loaders.em.execute<T[]>(
      `select ${selectList(meta, entity, 't')} from ${tableOf(meta, entity)} t ${where.sql()}`,
      where.params,
    );
    const byId = new Map(loaders.guard(entity, rows).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** An account that may take new records: the viewer may change it, and it is not archived. */
export async function writableCustomer(em: EntityManager, actor: Actor, customerId: string, field = 'customerId'): Promise<Customer> {
  const customer = await customerForWrite(em, actor, customerId, field);
  if (customer.archivedAt) throw new BadUserInputError(field, 'The customer is archived; restore it first');
  return customer;
}

/** How to find the account of a child record: a child's type and the SQL selecting its `"customerId"` by id. */
export interface ChildOf {
  type: string;
  sql: string;
}

/**
 * The account a child record belongs to, checked for writing before the record is touched.
 * A record of an account the viewer may not open does not exist for them: NOT_FOUND names the
 * record, never its account; one they may read but not change is FORBIDDEN.
 */
export async function accountForWrite(em: EntityManager, actor: Actor, child: ChildOf, id: string, field = 'id'): Promise<Customer> {
  const [row] = await em.execute<{ customerId: string }[]>(child.sql, [requireId(id, field)]);
  if (!row) throw new NotFoundError(child.type, id);
  try {
    return await customerForWrite(em, actor, row.customerId, field);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(child.type, id);
    throw error;
  }
}

const CONTACT: ChildOf = { type: 'Contact', sql: 'select customer_id as "customerId" from contact where id = ?' };

function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw new BadUserInputError(field, `${field} must not be blank`);
  return text;
}

function imHandlesOf(list: ImHandleInput[]): ImHandles {
  const handles: ImHandles = {};
  list.forEach((item, index) => {
    const network = item.network.toLowerCase();
    if (network in handles) throw new BadUserInputError(`imHandles.${index}.network`, `imHandles lists ${network} more than once`);
    handles[network] = requiredText(item.handle, `imHandles.${index}.handle`);
  });
  return handles;
}

function applyProfile(contact: Contact, input: CreateContactInput | UpdateContactInput): void {
  if (input.title !== undefined) contact.title = input.title?.trim() || null;
  if (input.decisionRole !== undefined) contact.decisionRole = input.decisionRole;
  if (input.phone !== undefined) contact.phone = input.phone?.trim() || null;
  if (input.mobile !== undefined) contact.mobile = input.mobile?.trim() || null;
  if (input.email !== undefined) contact.email = input.email ? normalizeEmail(input.email) : null;
  if (input.imHandles !== undefined) contact.imHandles = imHandlesOf(input.imHandles ?? []);
  if (input.preferredChannel !== undefined) contact.preferredChannel = input.preferredChannel;
  if (input.preferredFrequency !== undefined) contact.preferredFrequency = input.preferredFrequency;
  if (input.consent != null) contact.consent = input.consent;
}

export class ContactService {
  constructor(private readonly scope: RequestScope) {}

  /** The conditions, sort and direction of a contacts page, over alias `k` (the compiled read uses them too). */
  listQuery(args: ContactsArgs): { where: Conditions; sort: SortKey; direction: SortDirection } {
    const { reach, viewer } = this.scope;
    const where = scopeToReadableAccounts(new Conditions(), reach, 'k.customer_id');
    const filter = args.filter;
    if (filter?.customerId) where.add('k.customer_id = ?', requireId(filter.customerId, 'filter.customerId'));
    if (filter?.consent != null) where.add('k.consent = ?', filter.consent);
    if (filter?.decisionRole) where.add('k.decision_role = ?', filter.decisionRole);
    if (filter?.search?.trim()) {
      const pattern = likePattern(filter.search.trim());
      // Contact details are personal data: a key without pii:read searches names only.
      if (hasScope(viewer, Scope.PII_READ))
        where.add('(k.name ilike ? or k.email ilike ? or k.mobile ilike ? or k.phone ilike ?)', pattern, pattern, pattern, pattern);
      else where.add('k.name ilike ?', pattern);
    }
    return { where, sort: SORT[args.orderBy?.field ?? ContactSortField.NAME], direction: args.orderBy?.direction ?? SortDirection.ASC };
  }

  /** Contacts of the accounts the viewer may open. */
  list(args: ContactsArgs) {
    const { where, sort, direction } = this.listQuery(args);
    return keysetPage<Contact>(this.scope.em, Contact, 'k', where, { first: args.first, after: args.after, sort, direction });
  }

  create(input: CreateContactInput): Promise<Contact> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      const customer = await writableCustomer(tx, this.scope, input.customerId);
      const contact = tx.create(Contact, { customer, name: requiredText(input.name, 'name') });
      applyProfile(contact, input);
      await tx.flush();
      return contact;
    });
  }

  update(id: string, input: UpdateContactInput): Promise<Contact> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, CONTACT, id);
      const contact = await loadForUpdate(tx, Contact, requireId(id, 'id'), input.version);
      if (input.name != null) contact.name = requiredText(input.name, 'name');
      applyProfile(contact, input);
      await tx.flush();
      return contact;
    });
  }

  remove(id: string, version: number): Promise<boolean> {
    const { em } = this.scope;
    return transactional(em, async (tx) => {
      await accountForWrite(tx, this.scope, CONTACT, id);
      const contact = await loadForUpdate(tx, Contact, requireId(id, 'id'), version, { lock: true });
      tx.remove(contact);
      await tx.flush();
      return true;
    });
  }
}
