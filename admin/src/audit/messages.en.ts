import type { AuditActionName } from './actions';

/** Every action the API records, labelled: a missing one fails typecheck (see actions.ts). */
const actions: Record<AuditActionName, string> = {
  TRANSFER_REQUESTED: 'Transfer requested',
  TRANSFER_APPROVED: 'Transfer approved',
  TRANSFER_REJECTED: 'Transfer rejected',
  TRANSFER_CANCELLED: 'Transfer cancelled',
  CUSTOMER_TRANSFERRED: 'Customer transferred',
  CUSTOMER_REASSIGNED: 'Customer reassigned',
  CUSTOMERS_BULK_REASSIGNED: 'Bulk reassignment',
  REALIGNMENT_APPLIED: 'Territory realignment',
  API_KEY_CREATED: 'API key created',
  API_KEY_REVOKED: 'API key revoked',
  WEBHOOK_CREATED: 'Webhook created',
  WEBHOOK_UPDATED: 'Webhook changed',
  WEBHOOK_DELETED: 'Webhook deleted',
  WEBHOOK_SECRET_ROTATED: 'Webhook secret rotated',
  MUTATION_DENIED: 'Change denied',
  CUSTOMERS_MERGED: 'Accounts merged',
  CUSTOMERS_UNMERGED: 'Merge undone',
};

/** English messages of the audit screens; messages.zh.ts mirrors every key (typed by AuditMessages). */
export const auditEn = {
  auditEvents: {
    name: 'Audit event |||| Audit log',
    fields: {
      at: 'When',
      action: 'Action',
      actor: 'Actor',
      actorId: 'Actor',
      actorName: 'Actor',
      entityType: 'Entity',
      entityId: 'Entity ID',
      reason: 'Reason',
      from: 'From',
      to: 'Until',
      regionPaths: 'Territories',
      changes: 'Changes',
      subject: 'Concerns',
    },
    actions,
    subject: {
      transfer: 'Transfer of %{name}',
      webhookOf: 'Webhook of %{name}',
      accounts: '%{smart_count} account |||| %{smart_count} accounts',
    },
    /** Labels of the keys events record; other keys take the entity's field label, else stay as recorded. */
    changeFields: {
      ownerId: 'Owner',
      territoryId: 'Territory',
      version: 'Version',
      transferRequestId: 'Transfer request',
      customerId: 'Customer',
      fromOwnerId: 'Previous owner',
      fromTerritoryId: 'Previous territory',
      toOwnerId: 'New owner',
      toTerritoryId: 'New territory',
      status: 'Status',
      count: 'Accounts moved',
      skipped: 'Accounts skipped (already there)',
      customerIds: 'Accounts selected',
      elapsedMs: 'Server time (ms)',
      revokedAt: 'Revoked',
      apiKeyId: 'API key',
      operation: 'Operation',
      code: 'Refusal',
      ruleSetVersion: 'Rule set version',
      digest: 'Digest',
      total: 'Accounts examined',
      moved: 'Accounts moved',
      groups: 'Groups',
    },
    /** Why a change was denied (MUTATION_DENIED), by the refusal's code. */
    refusals: {
      FORBIDDEN: 'Not allowed',
      NOT_FOUND: 'Not found or not visible',
      DUPLICATE_OWNED: 'Already owned by someone else',
    },
    empty: 'No events match these filters.',
  },
};

export type AuditMessages = typeof auditEn;
