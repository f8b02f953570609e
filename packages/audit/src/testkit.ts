import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { AuditStore } from './store.js';
import { AUDIT_STORE_SUITES, type AuditStoreSuite } from './testkit/suites.js';

export { sampleEvent } from './testkit/sample-event.js';
export type { AuditStoreSuite };

/** Options of `testAuditStore`: the harness's one shape (`@platform/core/testkit`). */
export type AuditStoreTestOptions<S extends AuditStore = AuditStore> = StoreTestOptions<
  S,
  AuditStoreSuite
>;

/**
 * The conformance suite every audit store passes, in named suites: per-tenant `chain` linking,
 * `idempotency` of a retried batch, `concurrency`, `fields` round trip, every `search` filter with
 * keyset pagination, `export` order, `checkpoints`, `retention` (purge with a legal hold).
 *
 * @example
 * testAuditStore({
 *   name: 'my store',
 *   create: () => myStore({ client }),
 *   migrate: (store) => store.migrate(),
 *   destroy: (store) => store.close(),
 * });
 */
export function testAuditStore<S extends AuditStore>(options: AuditStoreTestOptions<S>): void {
  testStore(options, { title: 'audit store conformance', suites: AUDIT_STORE_SUITES });
}

/** @deprecated Use `AuditStoreTestOptions` with `testAuditStore`. */
export interface AuditStoreSuiteOptions {
  name: string;
  create: () => AuditStore | Promise<AuditStore>;
  destroy?: (store: AuditStore) => void | Promise<void>;
}

/** @deprecated Use `testAuditStore`: same options, plus `migrate`, `cleanup` and `skip`. */
export function describeAuditStore(options: AuditStoreSuiteOptions): void {
  testAuditStore(options);
}
