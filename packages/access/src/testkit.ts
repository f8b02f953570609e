// @platform/access/testkit: store conformance suites (vitest is a peer dependency).
export {
  SESSION_STORE_SUITES,
  type SessionStoreSuite,
  type SessionStoreTestOptions,
  testSessionStore,
} from './sessions/testkit.js';
