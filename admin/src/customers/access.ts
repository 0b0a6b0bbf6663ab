import type { AccessLevel } from '../../../schema/generated/graphql';

/**
 * What the viewer may do with an account (`Customer.access`): EDIT and READ see everything;
 * DIRECTORY only that it exists and who owns it (id, legal name, territory, region, owner).
 */
export function canReadCustomer(record: { access?: AccessLevel | null } | null | undefined): boolean {
  return record?.access === 'EDIT' || record?.access === 'READ';
}

export function canEditCustomer(record: { access?: AccessLevel | null } | null | undefined): boolean {
  return record?.access === 'EDIT';
}
