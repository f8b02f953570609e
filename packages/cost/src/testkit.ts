import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import type { BudgetStore, LedgerStore } from './store.js';
import { BUDGET_STORE_SUITES, type BudgetStoreSuite } from './testkit/budget.js';
import { LEDGER_STORE_SUITES, type LedgerStoreSuite } from './testkit/ledger.js';

export type { BudgetStoreSuite, LedgerStoreSuite };

/** Options of `testBudgetStore`: the harness's one shape (`@platform/core/testkit`). */
export type BudgetStoreTestOptions<S extends BudgetStore = BudgetStore> = StoreTestOptions<
  S,
  BudgetStoreSuite
>;

/** Options of `testLedgerStore`: the harness's one shape (`@platform/core/testkit`). */
export type LedgerStoreTestOptions<S extends LedgerStore = LedgerStore> = StoreTestOptions<
  S,
  LedgerStoreSuite
>;

const BUDGET_KIT = { title: 'BudgetStore conformance', suites: BUDGET_STORE_SUITES };
const LEDGER_KIT = { title: 'LedgerStore conformance', suites: LEDGER_STORE_SUITES };

/** @deprecated The `(name, factory)` form; pass `{ name, create, destroy }` instead. */
export type StoreFactory<S> = () => S | Promise<S>;

/**
 * The conformance suite every BudgetStore passes, in named suites: atomic `admission` against
 * several limits, `settlement` and release, `expiry` of holds and counters, no overshoot under
 * `concurrency`, once-only `claims`, `groups` kept apart.
 *
 * @example
 * testBudgetStore({
 *   name: 'redis',
 *   create: () => redisBudgetStore({ client, prefix }),
 *   destroy: async (store) => {
 *     await store.close?.();
 *     await deleteKeys(client, prefix);
 *   },
 * });
 */
export function testBudgetStore<S extends BudgetStore>(options: BudgetStoreTestOptions<S>): void;
/**
 * @deprecated Use `testBudgetStore({ name, create, destroy })`. This form closes the store
 * (`close()`) after the run.
 */
export function testBudgetStore(name: string, factory: StoreFactory<BudgetStore>): void;
export function testBudgetStore<S extends BudgetStore>(
  options: BudgetStoreTestOptions<S> | string,
  factory?: StoreFactory<BudgetStore>,
): void {
  if (typeof options === 'string') testStore(legacyOptions(options, factory), BUDGET_KIT);
  else testStore(options, BUDGET_KIT);
}

/**
 * The conformance suite every LedgerStore passes, in named suites: idempotent `records` found by
 * tenant and request id, and exact daily `rollups` (BigInt money beyond 2^53).
 *
 * @example
 * testLedgerStore({
 *   name: 'postgres',
 *   create: () => postgresLedger({ client: pool, schema }),
 *   migrate: (ledger) => ledger.migrate(),
 * });
 */
export function testLedgerStore<S extends LedgerStore>(options: LedgerStoreTestOptions<S>): void;
/**
 * @deprecated Use `testLedgerStore({ name, create, migrate, destroy })`. This form closes the
 * store (`close()`) after the run.
 */
export function testLedgerStore(name: string, factory: StoreFactory<LedgerStore>): void;
export function testLedgerStore<S extends LedgerStore>(
  options: LedgerStoreTestOptions<S> | string,
  factory?: StoreFactory<LedgerStore>,
): void {
  if (typeof options === 'string') testStore(legacyOptions(options, factory), LEDGER_KIT);
  else testStore(options, LEDGER_KIT);
}

/** The `(name, factory)` form as options: create with the factory, close afterwards. */
function legacyOptions<S extends { close?(): Promise<void> }>(
  name: string,
  factory: StoreFactory<S> | undefined,
): StoreTestOptions<S, never> {
  if (!factory) throw new TypeError(`${name}: the (name, factory) form needs a factory`);
  return { name, create: factory, destroy: (store) => store.close?.() };
}
