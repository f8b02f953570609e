export { KeyCache } from './cache.js';
export {
  type Keyring,
  type KeyringOptions,
  keyring,
  type OpenKey,
  wrapContext,
} from './keyring.js';
