export { AuditAction, recordAudit } from './audit.service.js';
