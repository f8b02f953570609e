export { KeyCache } from './cache.js';
export {
  type Keyring,
  type KeyringOptions,
  keyring,
  type OpenKey,
  type RewrapResult,
  wrapContext,
} from './keyring.js';
