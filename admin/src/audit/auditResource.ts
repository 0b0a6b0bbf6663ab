import { AdminAuditEventsDocument, type AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { compact, listOperation, type ResourceAdapter } from '../providers/resource';

export function toIso(value: unknown): string | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The audit log, newest first; read-only. */
export const auditResource: ResourceAdapter<AdminAuditEventFragment> = {
  list: listOperation(AdminAuditEventsDocument, (data) => data.auditEvents, {
    filter: (filter) =>
      compact({
        action: filter.action || undefined,
        entityType: filter.entityType || undefined,
        entityId: filter.entityId?.trim() || undefined,
        actorId: filter.actorId || undefined,
        from: toIso(filter.from),
        to: toIso(filter.to),
      }),
    orderBy: () => undefined,
  }),
};
