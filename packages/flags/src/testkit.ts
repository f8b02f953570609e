import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { FlagStateInput } from './model.js';
import type { FlagStore } from './store.js';
import { flagSeed } from './testkit/seed.js';
import { type FlagStoreSuite, flagStoreSuites, type ReplaceFlags } from './testkit/suites.js';

export type { FlagStoreSuite, ReplaceFlags };

/**
 * Options of `testFlagStore`: the harness's one shape (`@platform/core/testkit`); `create`
 * receives the flags to seed the store with.
 */
export interface FlagStoreTestOptions<S extends FlagStore = FlagStore>
  extends StoreTestOptions<S, FlagStoreSuite, FlagStateInput[]> {
  /**
   * Marks a read-only store (its write tests are skipped) and replaces its flags from outside
   * (e.g. rewrites the file), so the `feed` suite can check the change is announced.
   */
  replace?: ReplaceFlags<S>;
}

/**
 * The conformance suite every flag store passes, in named suites: `load` of every field,
 * `versions` and optimistic concurrency, one winner under `concurrency`, `delete`, `history` with
 * diffs, `segments`, the change `feed`, and `analytics`. Optional methods the store lacks pass
 * without checks; a read-only store passes `replace`.
 *
 * @example
 * testFlagStore({
 *   name: 'my store',
 *   create: (seed) => myStore({ flags: seed }),
 *   destroy: (store) => store.close?.(),
 * });
 */
export function testFlagStore<S extends FlagStore>(options: FlagStoreTestOptions<S>): void {
  const seed = flagSeed();
  testStore(options, {
    title: 'flag store conformance',
    input: seed.flags,
    suites: flagStoreSuites(seed, options.replace),
  });
}

/** @deprecated Use `FlagStoreTestOptions` with `testFlagStore`. */
export interface FlagStoreSuiteOptions {
  name: string;
  create: (seed: FlagStateInput[]) => FlagStore | Promise<FlagStore>;
  destroy?: (store: FlagStore) => void | Promise<void>;
  replace?: (store: FlagStore, flags: FlagStateInput[]) => Promise<void>;
}

/** @deprecated Use `testFlagStore`: same options, plus `migrate`, `cleanup` and `skip`. */
export function describeFlagStore(options: FlagStoreSuiteOptions): void {
  testFlagStore(options);
}
