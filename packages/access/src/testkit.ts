// Store conformance suites of @platform/access (vitest is a peer dependency of this entry).

export { type SubjectStoreSuite, testSubjectStore } from './oidc/testkit.js';
export {
  type ReplayStoreSuite,
  type ReplayStoreTestOptions,
  testReplayStore,
} from './webhooks/testkit.js';
