export {
  type ApiKeyStoreSuite,
  type ApiKeyStoreTestOptions,
  testApiKeyStore,
} from './keys/testkit.js';
