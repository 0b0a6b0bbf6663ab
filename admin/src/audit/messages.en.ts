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
    },
    empty: 'No events match these filters.',
  },
};

export type AuditMessages = typeof auditEn;
