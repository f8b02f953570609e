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
export type {
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyRecord,
  ApiKeyRotation,
  ApiKeyStore,
  ApiKeyUsage,
} from './store.js';
