import { getContext, metricsEnabled, parseOptions, type RequestContext } from '@platform/core';
import { type ProblemOptions, RateLimitError, toProblem } from '@platform/errors';
import { AllowList } from './allow-list.js';
import { createKeyer, type LimitInput, NO_INPUT } from './keys.js';
import { LimiterMetrics } from './metrics.js';
import { limiterSchema, type ParsedLimiterOptions, type RateLimiterOptions } from './options.js';
import { isPromise, type Pending } from './pending.js';
import { Planner } from './plan.js';
import { type CompiledPolicy, compilePolicy } from './policy.js';
import { LimiterReporter } from './reporter.js';
import { decided, degraded, type LimitResult, type PlannedCheck, skipped } from './result.js';
import type { RateLimitStore, StoreCheck, StoreDecision } from './store.js';
import { memoryStore } from './stores/memory.js';

export interface CheckOptions {
  /** Units this call spends in every policy, instead of each policy's `cost`. */
  cost?: number;
  /** Context for role tables and limit functions. Default: the current request's. */
  context?: RequestContext;
}

/** The neutral limiter every binding (and any background job) calls. */
export interface RateLimiter {
  readonly name: string;
  readonly policies: readonly CompiledPolicy[];
  /** Resolved options the HTTP layer reads. */
  readonly http: { headers: boolean; legacyHeaders: boolean; problem: ProblemOptions };
  /** Checks (and spends) `key` against every policy at once, e.g. a tenant id before an AI call. */
  check(key: string, options?: CheckOptions): Promise<LimitResult>;
  /**
   * `check()` answered at once, without a promise, over a synchronous store such as
   * `memoryStore()` (e.g. per message in a WebSocket loop). Over any other store it throws a
   * TypeError and spends nothing: use `check()` there.
   */
  checkSync(key: string, options?: CheckOptions): LimitResult;
  /** Checks a request: keys from each policy's `by`, with skip and allow lists. */
  checkRequest(input: LimitInput, options?: Pick<CheckOptions, 'cost'>): Promise<LimitResult>;
  /** Gives back what a result spent (or `cost` units of `key`), e.g. when the work failed. */
  refund(target: LimitResult | string, options?: CheckOptions): Promise<void>;
  /** Forgets `key` in every policy (counts and blocks). */
  reset(key: string): Promise<void>;
}

// What a result spent, for refunds: a symbol, so it stays out of JSON and logs.
const SPENT = Symbol('spent');
type Spent = LimitResult & { [SPENT]?: readonly StoreCheck[] };

function validCost(cost: number | undefined): number | undefined {
  if (cost !== undefined && (!Number.isSafeInteger(cost) || cost < 0)) {
    throw new TypeError(`cost must be a non-negative integer, got ${cost}`);
  }
  return cost;
}

/**
 * `limiter.checkRequest(input)`, but synchronous when the skip function and the store
 * answer synchronously (the memory store), so a request costs no promise. Falls back to
 * `checkRequest` for a RateLimiter implemented elsewhere.
 */
export function decideRequest(limiter: RateLimiter, input: LimitInput): Pending<LimitResult> {
  return limiter instanceof Limiter ? limiter.decide(input) : limiter.checkRequest(input);
}

/**
 * Creates a rate limiter: several policies checked atomically per request, weighted
 * cost, refunds, skip and allow lists, dry-run, a fail mode, a deny log and a metrics hook.
 *
 * @example
 * const limiter = rateLimiter({
 *   policies: [
 *     { name: 'per-user', limit: { admin: 100, default: 20 }, window: '1m', by: 'user' },
 *     { name: 'per-tenant', limit: 1000, window: '1d', by: 'tenant' },
 *   ],
 *   store: redisStore({ client: redis }),
 * });
 */
export function rateLimiter(options: RateLimiterOptions): RateLimiter {
  return new Limiter(parseOptions(limiterSchema, options, 'rateLimiter'));
}

/**
 * The limiter `rateLimiter()` returns. Its public methods are arrow functions, so they keep
 * working when passed around on their own (`jobs.map(limiter.check)`), as they always did.
 */
class Limiter implements RateLimiter {
  readonly name: string;
  readonly policies: readonly CompiledPolicy[];
  readonly http: RateLimiter['http'];
  readonly #store: RateLimitStore;
  readonly #dryRun: boolean;
  readonly #failOpen: boolean;
  readonly #skip: ParsedLimiterOptions['skip'];
  readonly #allowList: AllowList | undefined;
  readonly #planner: Planner;
  readonly #reporter: LimiterReporter;
  readonly #metrics: LimiterMetrics;
  // check(key) reads the request context only when a limit or cost depends on it (or, for
  // the deny log, when it refuses): the hot path of a plain limit skips the lookup.
  readonly #dynamic: boolean;

  constructor(opts: ParsedLimiterOptions) {
    this.name = opts.name;
    this.policies = opts.policies.map(compilePolicy);
    // 429 and 503 are decisions, not bugs: never a debug member with a stack. Checked once
    // here, so bad problem options fail at construction rather than at the first refusal.
    const problem: ProblemOptions = { ...opts.problem, production: true };
    toProblem(new RateLimitError(), { requestId: 'options-check' }, problem);
    this.http = { headers: opts.headers, legacyHeaders: opts.legacyHeaders, problem };
    this.#store = opts.store ?? memoryStore();
    this.#dryRun = opts.dryRun;
    this.#failOpen = opts.failMode === 'open';
    this.#skip = opts.skip;
    this.#allowList = AllowList.compile(opts.allowList);
    const keyer = createKeyer({
      ipv4Prefix: opts.ipv4Prefix,
      ipv6Prefix: opts.ipv6Prefix,
      hash: opts.hashKeys,
      apiKeyHeader: opts.apiKeyHeader,
    });
    this.#planner = new Planner(opts.name, this.policies, keyer);
    this.#reporter = new LimiterReporter(opts);
    this.#metrics = new LimiterMetrics(this.name, this.#store.name);
    this.#dynamic = this.policies.some((p) => p.dynamic);
  }

  readonly check = (key: string, options?: CheckOptions): Promise<LimitResult> => {
    try {
      const input = this.#inputOf(options);
      return Promise.resolve(
        this.#run(this.#planner.forKey(key, input, validCost(options?.cost)), input),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  };

  readonly checkSync = (key: string, options?: CheckOptions): LimitResult => {
    if (!this.#store.synchronous) {
      throw new TypeError(
        `rate limiter "${this.name}": checkSync() needs a synchronous store such as memoryStore(); this store answers with promises, so call check()`,
      );
    }
    const input = this.#inputOf(options);
    const result = this.#run(this.#planner.forKey(key, input, validCost(options?.cost)), input);
    if (isPromise(result)) {
      result.catch(() => undefined);
      throw new TypeError(
        `rate limiter "${this.name}": the store says it is synchronous but answered with a promise`,
      );
    }
    return result;
  };

  readonly checkRequest = (
    input: LimitInput,
    options?: Pick<CheckOptions, 'cost'>,
  ): Promise<LimitResult> => {
    try {
      return Promise.resolve(this.decide(input, validCost(options?.cost)));
    } catch (err) {
      return Promise.reject(err);
    }
  };

  readonly refund = async (target: LimitResult | string, options?: CheckOptions): Promise<void> => {
    const units = validCost(options?.cost);
    let checks: readonly StoreCheck[];
    if (typeof target === 'string') {
      checks = this.#planner.forKey(target, this.#inputOf(options), units);
    } else {
      const spent = (target as Spent)[SPENT] ?? [];
      (target as Spent)[SPENT] = undefined;
      checks = units === undefined ? spent : spent.map((c) => ({ ...c, cost: units }));
    }
    checks = checks.filter((c) => c.cost > 0);
    if (checks.length === 0) return;
    if (!this.#store.refund) throw new TypeError('this rate-limit store does not support refunds');
    await this.#store.refund(checks);
  };

  readonly reset = async (key: string): Promise<void> => {
    if (!this.#store.reset) throw new TypeError('this rate-limit store does not support reset');
    await this.#store.reset(this.#planner.keysOf(key));
  };

  /** `checkRequest` without the promise when nothing on the way is async (see decideRequest). */
  decide(input: LimitInput, cost?: number): Pending<LimitResult> {
    if (this.#skip) {
      const skip = this.#skip(input);
      if (isPromise(skip)) {
        return skip.then((s) => (s ? this.#skipped(input) : this.#limitUnlessAllowed(input, cost)));
      }
      if (skip) return this.#skipped(input);
    }
    return this.#limitUnlessAllowed(input, cost);
  }

  #limitUnlessAllowed(input: LimitInput, cost: number | undefined): Pending<LimitResult> {
    if (this.#allowList?.matches(input)) return this.#skipped(input);
    return this.#run(this.#planner.forRequest(input, cost), input);
  }

  #inputOf(options: CheckOptions | undefined): LimitInput {
    if (options?.context) return { context: options.context };
    return this.#dynamic ? { context: getContext() } : NO_INPUT;
  }

  /**
   * Asks the store; synchronous stores (memory) answer without a promise. The clock is read
   * only while a metrics backend is installed (`started` stays undefined otherwise).
   */
  #run(checks: readonly PlannedCheck[], input: LimitInput): Pending<LimitResult> {
    if (checks.length === 0) return this.#skipped(input);
    const started = metricsEnabled() ? performance.now() : undefined;
    let pending: Pending<StoreDecision>;
    try {
      pending = this.#store.consume(checks);
    } catch (err) {
      return this.#failed(checks, err, input, started);
    }
    if (isPromise(pending)) {
      return pending.then(
        (d) => this.#decided(checks, d, input, started),
        (err) => this.#failed(checks, err, input, started),
      );
    }
    return this.#decided(checks, pending, input, started);
  }

  #decided(
    checks: readonly PlannedCheck[],
    d: StoreDecision,
    input: LimitInput,
    started: number | undefined,
  ): LimitResult {
    if (started !== undefined) this.#metrics.storeTook(started);
    this.#reporter.storeAnswered();
    const result: Spent = decided(this.name, checks, d.outcomes, this.#dryRun);
    if (!result.limited) result[SPENT] = checks;
    if (started !== undefined) this.#metrics.decided(result);
    return this.#reporter.report(result, input);
  }

  #failed(
    checks: readonly PlannedCheck[],
    err: unknown,
    input: LimitInput,
    started: number | undefined,
  ): LimitResult {
    if (started !== undefined) {
      this.#metrics.storeTook(started);
      this.#metrics.failed(checks);
    }
    this.#reporter.storeFailed(err);
    return this.#reporter.report(degraded(this.name, this.#failOpen, this.#dryRun, err), input);
  }

  #skipped(input: LimitInput): LimitResult {
    return this.#reporter.report(skipped(this.name, this.#dryRun), input);
  }
}
