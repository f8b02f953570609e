export { type ApiKeyAdminOptions, apiKeyAdmin, type KeyAuditEvent } from './admin.js';
export {
  API_KEY,
  type ApiKeyAuthOptions,
  type AttemptLimiter,
  apiKeyCheck,
  apiKeyOf,
  type KeyCheck,
  type KeyRequest,
  scopeCheck,
  scopeCovers,
} from './authenticate.js';
export type { FetchKeyOptions } from './fetch.js';
export type { ApiKeyInfo } from './info.js';
export {
  type ApiKeys,
  apiKeys,
  type IssuedKey,
  type KeyRefusal,
  type VerifiedKey,
  type VerifyResult,
} from './keys.js';
export { memoryKeyStore } from './memory.js';
export type { ApiKeysOptions, CreateKeyInput } from './options.js';
export { INVALID_KEY } from './problems.js';
export type {
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyRecord,
  ApiKeyRotation,
  ApiKeyStore,
  ApiKeyUsage,
} from './store.js';
