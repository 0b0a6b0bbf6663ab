import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, NotFoundError } from '../../common/errors/errors.js';
import { SortDirection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage, likePattern, type SortKey } from '../../common/orm/keyset.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { Customer } from '../customer/customer.entity.js';
import { normalizeEmail } from '../user/user.service.js';
import { Contact, type ImHandles } from './contact.entity.js';
import { ContactSortField, type ContactsArgs, type CreateContactInput, type ImHandleInput, type UpdateContactInput } from './contact.inputs.js';

const SORT: Record<ContactSortField, SortKey> = {
  [ContactSortField.NAME]: { property: 'name', cast: 'text' },
  [ContactSortField.CREATED_AT]: { property: 'createdAt', cast: 'timestamptz' },
  [ContactSortField.UPDATED_AT]: { property: 'updatedAt', cast: 'timestamptz' },
};

/** A customer that can take new records: it exists and is not archived. */
export async function activeCustomer(em: EntityManager, customerId: string, field = 'customerId'): Promise<Customer> {
  const customer = await em.findOne(Customer, { id: requireId(customerId, field) });
  if (!customer) throw new NotFoundError('Customer', customerId);
  if (customer.archivedAt) throw new BadUserInputError(field, 'The customer is archived; restore it first');
  return customer;
}

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
  list(em: EntityManager, args: ContactsArgs) {
    const where = new Conditions();
    const filter = args.filter;
    if (filter?.customerId) where.add('k.customer_id = ?', requireId(filter.customerId, 'filter.customerId'));
    if (filter?.consent != null) where.add('k.consent = ?', filter.consent);
    if (filter?.decisionRole) where.add('k.decision_role = ?', filter.decisionRole);
    if (filter?.search?.trim()) {
      const pattern = likePattern(filter.search.trim());
      where.add('(k.name ilike ? or k.email ilike ? or k.mobile ilike ? or k.phone ilike ?)', pattern, pattern, pattern, pattern);
    }
    const sort = SORT[args.orderBy?.field ?? ContactSortField.NAME];
    return keysetPage<Contact>(em, Contact, 'k', where, { first: args.first, after: args.after, sort, direction: args.orderBy?.direction ?? SortDirection.ASC });
  }

  create(em: EntityManager, input: CreateContactInput): Promise<Contact> {
    return transactional(em, async (tx) => {
      const customer = await activeCustomer(tx, input.customerId);
      const contact = tx.create(Contact, { customer, name: requiredText(input.name, 'name') });
      applyProfile(contact, input);
      await tx.flush();
      return contact;
    });
  }

  update(em: EntityManager, id: string, input: UpdateContactInput): Promise<Contact> {
    return transactional(em, async (tx) => {
      const contact = await loadForUpdate(tx, Contact, requireId(id, 'id'), input.version);
      if (input.name != null) contact.name = requiredText(input.name, 'name');
      applyProfile(contact, input);
      await tx.flush();
      return contact;
    });
  }

  remove(em: EntityManager, id: string, version: number): Promise<boolean> {
    return transactional(em, async (tx) => {
      const contact = await loadForUpdate(tx, Contact, requireId(id, 'id'), version, { lock: true });
      tx.remove(contact);
      await tx.flush();
      return true;
    });
  }
}
