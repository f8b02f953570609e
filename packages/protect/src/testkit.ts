import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { DataKeyStore } from './store.js';
import { type DataKeyStoreSuite, dataKeyStoreSuites } from './testkit/suites.js';

export type { DataKeyStoreSuite };

/** Options of `testDataKeyStore`: the harness's one shape (`@platform/core/testkit`). */
export type DataKeyStoreTestOptions<S extends DataKeyStore = DataKeyStore> = StoreTestOptions<
  S,
  DataKeyStoreSuite
>;

/**
 * The conformance suite every data key store passes, in named suites: `create` (one winner
 * per version), `lookup`, compare-and-set `rewrap`, `destroy` (tombstones that refuse new
 * versions, other subjects untouched) and paged `list`.
 *
 * @example
 * testDataKeyStore({ name: 'my store', create: () => myKeyStore(), destroy: (s) => s.close?.() });
 */
export function testDataKeyStore<S extends DataKeyStore>(
  options: DataKeyStoreTestOptions<S>,
): void {
  testStore(options, { title: 'data key store conformance', suites: dataKeyStoreSuites() });
}
