/**
 * Every action the API writes to the audit log: its AuditAction enum, and the actions other
 * modules record as plain strings (REALIGNMENT_APPLIED). The labels in messages.en.ts and
 * messages.zh.ts are keyed by this list, and test/admin/auditActions.test.ts fails typecheck when
 * the API's enum gains a value missing here. No imports: that test's program checks this file too.
 */
export const AUDIT_ACTIONS = [
  'TRANSFER_REQUESTED',
  'TRANSFER_APPROVED',
  'TRANSFER_REJECTED',
  'TRANSFER_CANCELLED',
  'CUSTOMER_TRANSFERRED',
  'CUSTOMER_REASSIGNED',
  'CUSTOMERS_BULK_REASSIGNED',
  'REALIGNMENT_APPLIED',
  'API_KEY_CREATED',
  'API_KEY_REVOKED',
  'WEBHOOK_CREATED',
  'WEBHOOK_UPDATED',
  'WEBHOOK_DELETED',
  'WEBHOOK_SECRET_ROTATED',
  'MUTATION_DENIED',
  'CUSTOMERS_MERGED',
  'CUSTOMERS_UNMERGED',
] as const;

export type AuditActionName = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(action: string): action is AuditActionName {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}
