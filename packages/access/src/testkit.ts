// Store conformance suites of @platform/access (vitest is a peer dependency of this entry).

export {
  type ApiKeyStoreSuite,
  type ApiKeyStoreTestOptions,
  testApiKeyStore,
} from './keys/testkit.js';
export { type SubjectStoreSuite, testSubjectStore } from './oidc/testkit.js';
export {
  SESSION_STORE_SUITES,
  type SessionStoreSuite,
  type SessionStoreTestOptions,
  testSessionStore,
} from './sessions/testkit.js';
export {
  type ReplayStoreSuite,
  type ReplayStoreTestOptions,
  testReplayStore,
} from './webhooks/testkit.js';
