import { afterAll, afterEach, beforeAll, describe } from 'vitest';

export {
  type RecordedSample,
  type RecordingMetrics,
  recordingMetrics,
} from './recording-metrics.js';

/**
 * The one shape every `@platform/<domain>/testkit` takes: the store factory, its migrations and
 * cleanup, and the named suites to switch off.
 *
 * `S` is the store type (a store's own type, so `migrate` and `destroy` see its extra methods),
 * `Suite` the suite names of the domain, `Input` what the domain hands `create` (nothing for most;
 * the seed flags for a flag store).
 */
export interface StoreTestOptions<S, Suite extends string = string, Input = void> {
  /** Names the run: `<domain> store conformance: <name>`. */
  name: string;
  /** Creates the store under test, once for the run. */
  create: (input: Input) => S | Promise<S>;
  /** Runs once after `create`, before the first test (create tables, a schema, a key prefix). */
  migrate?: (store: S) => void | Promise<void>;
  /** Runs after each test (delete what the test wrote, where the store cannot isolate by key). */
  cleanup?: (store: S) => void | Promise<void>;
  /** Runs once after the last test, if `create` succeeded (close clients, drop the schema). */
  destroy?: (store: S) => void | Promise<void>;
  /** Named suites to switch off: capabilities the store lacks. They are reported as skipped. */
  skip?: readonly Suite[];
}

/** Returns the store under test; call it inside tests and hooks, not while declaring them. */
export type StoreGetter<S> = () => S;

/** A named group of tests: it declares `it`/`describe` blocks that use `store()`. */
export type StoreSuite<S> = (store: StoreGetter<S>) => void;

/** What a domain testkit hands the harness: its title, its named suites and `create`'s input. */
export interface StoreTestkit<S, Suite extends string, Input = void> {
  /** The `describe` title before the run's name, e.g. `rate-limit store conformance`. */
  title: string;
  /** The suites in the order they run; their names are what `skip` accepts. */
  suites: Readonly<Record<Suite, StoreSuite<S>>>;
  /** Passed to `create` (a domain's fixture, e.g. seed data). */
  input?: Input;
}

/** Setup and teardown get longer than vitest's 10 s default: migrations on a loaded machine. */
const HOOK_TIMEOUT_MS = 60_000;

/**
 * Runs a domain's conformance suites against one store: `create` and `migrate` once before,
 * `cleanup` after each test, `destroy` once after, every suite named in `skip` reported as
 * skipped. Domain testkits (`testRateLimitStore`, `testAuditStore`, `testFlagStore`,
 * `testBudgetStore`, `testLedgerStore`) are built on it; call those from a vitest file.
 *
 * @example
 * import { testStore } from '@platform/core/testkit';
 * import { expect, it } from 'vitest';
 *
 * const kit = {
 *   title: 'cache conformance',
 *   suites: {
 *     roundtrip: (store: () => Map<string, string>) => {
 *       it('returns what it was given', () => {
 *         store().set('k', 'v');
 *         expect(store().get('k')).toBe('v');
 *       });
 *     },
 *   },
 * };
 * testStore({ name: 'Map', create: () => new Map<string, string>(), cleanup: (m) => m.clear() }, kit);
 */
export function testStore<S, Suite extends string, Input = void>(
  options: StoreTestOptions<S, Suite, Input>,
  kit: StoreTestkit<S, Suite, Input>,
): void {
  const skipped = skippedSuites(options.skip, kit);
  describe(`${kit.title}: ${options.name}`, () => {
    const store = storeLifecycle(options, kit.input as Input);
    for (const [name, suite] of Object.entries<StoreSuite<S>>(kit.suites)) {
      describe.skipIf(skipped.has(name))(name, () => suite(store));
    }
  });
}

/** The names in `skip`, checked against the kit's suites so a typo does not pass silently. */
function skippedSuites<S, Suite extends string, Input>(
  skip: readonly string[] | undefined,
  kit: StoreTestkit<S, Suite, Input>,
): Set<string> {
  const known = Object.keys(kit.suites);
  for (const name of skip ?? []) {
    if (!known.includes(name)) {
      throw new TypeError(
        `${kit.title}: unknown suite "${name}" in skip; the suites are ${known.join(', ')}`,
      );
    }
  }
  return new Set(skip);
}

/** Registers the run's hooks and returns the getter the suites read the store through. */
function storeLifecycle<S, Suite extends string, Input>(
  options: StoreTestOptions<S, Suite, Input>,
  input: Input,
): StoreGetter<S> {
  let created: { store: S } | undefined;
  beforeAll(async () => {
    const store = await options.create(input);
    created = { store };
    await options.migrate?.(store);
  }, HOOK_TIMEOUT_MS);
  afterEach(async () => {
    if (created) await options.cleanup?.(created.store);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    if (created) await options.destroy?.(created.store);
  }, HOOK_TIMEOUT_MS);
  return () => {
    if (!created) throw new Error(`store "${options.name}" is not created yet (or create failed)`);
    return created.store;
  };
}
