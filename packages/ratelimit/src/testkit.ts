import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { RateLimitStore } from './store.js';
import { RATE_LIMIT_STORE_SUITES, type RateLimitStoreSuite } from './testkit/suites.js';

export type { RateLimitStoreSuite };

/** Options of `testRateLimitStore`: the harness's one shape (`@platform/core/testkit`). */
export type RateLimitStoreTestOptions<S extends RateLimitStore = RateLimitStore> = StoreTestOptions<
  S,
  RateLimitStoreSuite
>;

/**
 * The conformance suite every rate-limit store passes, in named suites: `limits` per algorithm,
 * weighted `cost`, `atomic` multi-key steps, exactness under `concurrency`, `expiry`, `block`,
 * `refund`, `reset`, opaque `keys`, `gcra` pacing, the store's `clock`. A store without
 * `refund` or `reset` lists them in `skip`.
 *
 * @example
 * testRateLimitStore({
 *   name: 'my store',
 *   create: () => myStore({ client }),
 *   destroy: (store) => store.shutdown?.(),
 *   skip: ['refund'],
 * });
 */
export function testRateLimitStore<S extends RateLimitStore>(
  options: RateLimitStoreTestOptions<S>,
): void {
  testStore(options, { title: 'rate-limit store conformance', suites: RATE_LIMIT_STORE_SUITES });
}

/** @deprecated Use `RateLimitStoreTestOptions` with `testRateLimitStore`. */
export interface StoreSuiteOptions {
  name: string;
  create: () => RateLimitStore | Promise<RateLimitStore>;
  destroy?: (store: RateLimitStore) => void | Promise<void>;
  /** Optional capabilities the store lacks; their tests are skipped. */
  without?: { refund?: boolean; reset?: boolean };
}

/**
 * @deprecated Use `testRateLimitStore({ name, create, destroy, skip })`; `without: { refund: true }`
 * becomes `skip: ['refund']`.
 */
export function describeRateLimitStore(options: StoreSuiteOptions): void {
  const { without, ...rest } = options;
  const skip: RateLimitStoreSuite[] = [];
  if (without?.refund) skip.push('refund');
  if (without?.reset) skip.push('reset');
  testRateLimitStore({ ...rest, skip });
}
