import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { KeyProvider } from './keys/provider.js';
import type { DataKeyStore } from './store.js';
import { type KeyProviderSuite, keyProviderSuites } from './testkit/provider-suites.js';
import { type DataKeyStoreSuite, dataKeyStoreSuites } from './testkit/suites.js';

export type { DataKeyStoreSuite, KeyProviderSuite };

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

/** Options of `testKeyProvider`: the same harness shape, `create` making the provider. */
export type KeyProviderTestOptions<P extends KeyProvider = KeyProvider> = StoreTestOptions<
  P,
  KeyProviderSuite
>;

/**
 * The conformance suite for key providers (a KMS or vault adapter): `roundtrip` under the
 * current KEK, `context` binding, and `refusals` of altered wrapped keys and unknown KEK ids.
 *
 * @example
 * testKeyProvider({ name: 'my KMS', create: () => myKmsProvider({ keyId: process.env.KMS_KEY }) });
 */
export function testKeyProvider<P extends KeyProvider>(options: KeyProviderTestOptions<P>): void {
  testStore(options, { title: 'key provider conformance', suites: keyProviderSuites() });
}
