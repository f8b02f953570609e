export { auditAad, openAuditEvent, sealAuditInput } from './audit.js';
export { ERASED, fieldAad, type OpenedFields } from './fields.js';
