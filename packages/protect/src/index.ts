export type { EraseRequest, EraseResult } from './erasure.js';
export { CiphertextError, KeyProviderError, LegalHoldError, SubjectErasedError } from './errors.js';
export {
  auditAad,
  ERASED,
  fieldAad,
  type OpenedFields,
  openAuditEvent,
  sealAuditInput,
} from './fields/index.js';
export * from './format/index.js';
export { type RewrapResult, wrapContext } from './keyring/index.js';
export * from './keys/index.js';
export type { AuditSink, FieldProtectorOptions, LegalHolds } from './options.js';
export {
  type FieldProtector,
  fieldProtector,
  type OpenContext,
  type SealContext,
} from './protector.js';
export type {
  DataKeyRecord,
  DataKeyStore,
  KeyListQuery,
  KeyPurpose,
  KeyScope,
  NewDataKey,
} from './store.js';
export { memoryKeyStore } from './stores/memory.js';
