export {
  type CheckpointAnchor,
  fileAnchor,
  type WebhookAnchorOptions,
  webhookAnchor,
} from './anchor.js';
export { canonicalJson } from './canonical.js';
export {
  type Checkpoint,
  checkpointValid,
  createSigner,
  GENESIS_HASH,
  hashEvent,
  isEphemeralKeyId,
  linkEvents,
  linkEventsInSlices,
  type Signer,
  signCheckpoint,
} from './chain.js';
export {
  type ExportCheck,
  type ExportFormat,
  type ExportManifest,
  type ExportStream,
  exportEvents,
  exportVerifier,
} from './export.js';
export {
  type AuditHandler,
  type AuditHandlers,
  type AuditHandlersOptions,
  type AuditHttpResult,
  type AuditOperation,
  auditHandlers,
} from './handlers.js';
export { type AuditHttpOptions, createHttpAuditor, type HttpAuditInfo } from './http.js';
export { lazyStore } from './lazy.js';
export type { AuditLogger, AuditTrailOptions } from './options.js';
export {
  createRedactor,
  DEFAULT_SENSITIVE_KEYS,
  neutralize,
  REDACTED,
  type RedactOptions,
} from './redact.js';
export {
  type AuditActor,
  type AuditEvent,
  type AuditInput,
  type AuditTarget,
  auditEventSchema,
  crudOf,
  type PendingEvent,
  SCHEMA_VERSION,
  type StoredEvent,
} from './schema.js';
export type {
  AuditPage,
  AuditQuery,
  AuditStore,
  ChainRange,
  PurgeRequest,
  PurgeResult,
} from './store.js';
export { matches, memoryStore } from './stores/memory.js';
export { type AuditTrail, auditTrail } from './trail.js';
export {
  type TamperKind,
  type VerifyOptions,
  type VerifyResult,
  verifyChain,
  verifyEvents,
} from './verify.js';
export type { WriterStats } from './writer.js';
