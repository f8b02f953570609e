/** The three algorithms every store implements (see README, "Algorithms"). */
export type Algorithm = 'fixed' | 'sliding' | 'gcra';

/**
 * Where a counter lives. `key` alone identifies it (Redis uses it); `scope` (limiter and
 * policy) plus `subject` (the client) identify it just the same, so in-process stores can
 * index by client without building and hashing a composite string per request.
 */
export interface StoreKey {
  /** Opaque, escaped and length-bounded; carries the Redis Cluster hash tag. */
  readonly key: string;
  readonly scope: string;
  readonly subject: string;
}

/** One policy applied to one key, as the limiter hands it to the store. */
export interface StoreCheck extends StoreKey {
  readonly algorithm: Algorithm;
  /** Units allowed per window (0 denies everything). */
  readonly limit: number;
  readonly windowMs: number;
  /** GCRA only: units that may be spent at once; equals `limit` unless configured. */
  readonly burst: number;
  /** Units this request spends (0 only reads). */
  readonly cost: number;
  /** When this check denies, refuse the key for this long (0: no block). */
  readonly blockMs: number;
}

/** A store's answer for one check, in store-clock milliseconds. */
export interface StoreOutcome {
  allowed: boolean;
  /** Units still available after this request. */
  remaining: number;
  /** Until the key is back to its full quota. */
  resetMs: number;
  /** Until a request of this cost could pass (0 when allowed). */
  retryAfterMs: number;
}

/** The outcome of one atomic step, in the order of the checks. */
export interface StoreDecision {
  /** The store's clock (epoch ms) when it decided. */
  now: number;
  outcomes: StoreOutcome[];
}

/**
 * A rate-limit store: one atomic step per request for all its policies. `consume`
 * evaluates every check at one instant; when all allow it spends every cost, when any
 * denies it spends none (a denying check with `blockMs` still starts its block).
 *
 * @example
 * const store: RateLimitStore = { consume: (checks) => myBackend.run(checks) };
 */
export interface RateLimitStore {
  /** What the store is (`memory`, `redis`, `postgres`): the `store` label of its latency metric. */
  readonly name?: string;
  /**
   * True when `consume`, `refund` and `reset` always answer without a promise (the memory
   * store): the limiter's `checkSync()` works only over such a store.
   */
  readonly synchronous?: boolean;
  consume(checks: readonly StoreCheck[]): StoreDecision | Promise<StoreDecision>;
  /** Gives `cost` units back to each key (never below an empty state). */
  refund?(checks: readonly StoreCheck[]): void | Promise<void>;
  /** Forgets the keys entirely (counts and blocks). */
  reset?(keys: readonly StoreKey[]): void | Promise<void>;
  /** Releases what the store owns; the limiter never calls it on a host's shared client. */
  shutdown?(): void | Promise<void>;
  /**
   * Resolves when the store's backend answers (a `SELECT 1` or `PING` within the store's
   * deadline), rejects otherwise. Optional; used by health checks (`checkFromStore`).
   */
  ping?(): Promise<void>;
}

export { StoreUnavailableError } from '@platform/core/stores';
