import {
  compileCidrs,
  getContext,
  isPromise,
  parseIp,
  parseOptions,
  type RequestContext,
} from '@platform/core';
import { type ProblemOptions, RateLimitError, toProblem } from '@platform/errors';
import { denyEvent, outcomeOf, type StoreHealthEvent, stderrLogger } from './events.js';
import { createKeyer, type LimitInput, type Subject } from './keys.js';
import { limiterSchema, type RateLimiterOptions } from './options.js';
import { type CompiledPolicy, compilePolicy } from './policy.js';
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

const NO_INPUT: LimitInput = {};

/** Subjects whose planned checks a static policy remembers (see `planOnly`). */
const PLANS = 10_000;

// What a result spent, for refunds: a symbol, so it stays out of JSON and logs.
const SPENT = Symbol('spent');
type Spent = LimitResult & { [SPENT]?: readonly StoreCheck[] };

function validCost(cost: number | undefined): number | undefined {
  if (cost !== undefined && (!Number.isSafeInteger(cost) || cost < 0)) {
    throw new TypeError(`cost must be a non-negative integer, got ${cost}`);
  }
  return cost;
}

/** A value now, or later: what synchronous stores (memory) answer without a promise. */
export type Pending<T> = T | Promise<T>;

// The bindings import it from here.
export { isPromise };

// The HTTP bindings' entry: checkRequest without a promise when nothing on the way is async.
const DECIDE = Symbol('decide');
type Decide = (input: LimitInput) => Pending<LimitResult>;
type Deciding = RateLimiter & { [DECIDE]?: Decide };

/**
 * `limiter.checkRequest(input)`, but synchronous when the skip function and the store
 * answer synchronously (the memory store), so a request costs no promise. Falls back to
 * `checkRequest` for a RateLimiter implemented elsewhere.
 */
export function decideRequest(limiter: RateLimiter, input: LimitInput): Pending<LimitResult> {
  const decide = (limiter as Deciding)[DECIDE];
  return decide ? decide(input) : limiter.checkRequest(input);
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
  const opts = parseOptions(limiterSchema, options, 'rateLimiter');
  const { name, dryRun } = opts;
  const store: RateLimitStore = opts.store ?? memoryStore();
  const policies = opts.policies.map(compilePolicy);
  const keyer = createKeyer({
    ipv4Prefix: opts.ipv4Prefix,
    ipv6Prefix: opts.ipv6Prefix,
    hash: opts.hashKeys,
    apiKeyHeader: opts.apiKeyHeader,
  });
  const subjectOf = policies.map((p) => keyer.compile(p.by));
  const allowIps = opts.allowList.ips.length > 0 ? compileCidrs(opts.allowList.ips) : undefined;
  const allowUsers = new Set(opts.allowList.users);
  const allowTenants = new Set(opts.allowList.tenants);
  const log = opts.log === false ? undefined : (opts.log ?? stderrLogger);
  const onDecision = opts.onDecision;
  // 429 and 503 are decisions, not bugs: never a debug member with a stack. Built once
  // here, so bad problem options fail at construction rather than at the first refusal.
  const problem: ProblemOptions = { ...opts.problem, production: true };
  toProblem(new RateLimitError(), { requestId: 'options-check' }, problem);
  // One policy: the key is its own Redis Cluster hash tag (spreads load). Several: they
  // share the limiter's tag, so the one multi-key step stays in one slot.
  const single = policies.length === 1;
  const prefixes = policies.map((p) => (single ? `${name}:${p.name}:{` : `{${name}}:${p.name}:`));
  const keyOf = (i: number, subject: string) =>
    single ? `${prefixes[i]}${subject}}` : `${prefixes[i]}${subject}`;
  const scopes = policies.map((p) => `${name}:${p.name}`);

  const planOne = (
    i: number,
    subject: string,
    kind: string,
    input: LimitInput,
    cost: number | undefined,
  ) => {
    const p = policies[i] as CompiledPolicy;
    const limit = p.limitFor(input);
    const check: PlannedCheck = {
      key: keyOf(i, subject),
      scope: scopes[i] as string,
      subject,
      algorithm: p.algorithm,
      limit,
      windowMs: p.windowMs,
      burst: p.burstFor(limit),
      cost: cost ?? p.costFor(input),
      blockMs: p.blockMs,
      policy: p.name,
      kind,
    };
    return check;
  };

  // A static policy (fixed limit and cost) plans the same check for a returning client, so
  // it is remembered per subject (bounded, forgotten wholesale when full). Shared: checks
  // are never written to after planning.
  const plans = policies.map((p) =>
    p.dynamic ? undefined : new Map<string, readonly PlannedCheck[]>(),
  );
  const planOnly = (i: number, s: Subject, input: LimitInput): readonly PlannedCheck[] => {
    const cache = plans[i];
    if (!cache) return [planOne(i, s.value, s.kind, input, undefined)];
    let checks = cache.get(s.value);
    if (checks?.[0]?.kind === s.kind) return checks;
    checks = [planOne(i, s.value, s.kind, input, undefined)];
    if (cache.size >= PLANS) cache.clear();
    cache.set(s.value, checks);
    return checks;
  };

  const planRequest = (input: LimitInput, cost: number | undefined): readonly PlannedCheck[] => {
    if (single && cost === undefined) {
      const s = (subjectOf[0] as (input: LimitInput) => Subject | undefined)(input);
      return s ? planOnly(0, s, input) : [];
    }
    const checks: PlannedCheck[] = [];
    for (let i = 0; i < policies.length; i++) {
      const s = subjectOf[i]?.(input);
      if (!s) continue;
      checks.push(
        cost === undefined
          ? (planOnly(i, s, input)[0] as PlannedCheck)
          : planOne(i, s.value, s.kind, input, cost),
      );
    }
    return checks;
  };

  const planKey = (key: string, input: LimitInput, cost: number | undefined): PlannedCheck[] => {
    const subject = keyer.escape(key);
    if (single) return [planOne(0, subject, 'key', input, cost)];
    return policies.map((_, i) => planOne(i, subject, 'key', input, cost));
  };

  const writeLog = (event: StoreHealthEvent) => {
    try {
      log?.(event);
    } catch {
      // a failing logger must not change the decision
    }
  };

  const report = (result: LimitResult, input: LimitInput): LimitResult => {
    if (result.limited && log) {
      try {
        log(denyEvent(result, input === NO_INPUT ? { context: getContext() } : input));
      } catch {
        // a failing logger must not change the decision
      }
    }
    if (onDecision) {
      try {
        onDecision({ limiter: name, outcome: outcomeOf(result), result });
      } catch {
        // nor a failing metrics hook
      }
    }
    return result;
  };

  // One line when the store starts failing and one when it answers again, never one per check.
  let outage: { since: number; open: number; closed: number } | undefined;
  const failed = (err: unknown, input: LimitInput) => {
    const failOpen = opts.failMode === 'open';
    if (outage === undefined) {
      outage = { since: Date.now(), open: 0, closed: 0 };
      writeLog({
        level: 'warn',
        msg: 'rate limit store degraded',
        time: new Date().toISOString(),
        limiter: name,
        failMode: opts.failMode,
        reason: (err as { reason?: string } | null)?.reason ?? 'error',
        error: err instanceof Error ? err.message : String(err),
      });
    }
    if (failOpen) outage.open++;
    else outage.closed++;
    return report(degraded(name, failOpen, dryRun, err), input);
  };
  const recovered = () => {
    const o = outage as { since: number; open: number; closed: number };
    outage = undefined;
    writeLog({
      level: 'info',
      msg: 'rate limit store recovered',
      time: new Date().toISOString(),
      limiter: name,
      failMode: opts.failMode,
      degradedMs: Date.now() - o.since,
      failedOpen: o.open,
      failedClosed: o.closed,
    });
  };

  const finish = (checks: readonly PlannedCheck[], d: StoreDecision, input: LimitInput) => {
    if (outage !== undefined) recovered();
    const result: Spent = decided(name, checks, d.outcomes, dryRun);
    if (!result.limited) result[SPENT] = checks;
    return report(result, input);
  };

  // Synchronous stores (memory) answer without a promise.
  const run = (checks: readonly PlannedCheck[], input: LimitInput): Pending<LimitResult> => {
    if (checks.length === 0) return report(skipped(name, dryRun), input);
    let pending: Pending<StoreDecision>;
    try {
      pending = store.consume(checks);
    } catch (err) {
      return failed(err, input);
    }
    if (isPromise(pending)) {
      return pending.then(
        (d) => finish(checks, d, input),
        (err) => failed(err, input),
      );
    }
    return finish(checks, pending, input);
  };

  // Empty lists (the usual case) cost nothing: no address is parsed for them.
  const allowed = (input: LimitInput): boolean => {
    const ctx = input.context;
    if (allowIps) {
      const ip = parseIp(ctx?.ip ?? input.exchange?.remoteAddress);
      if (ip && allowIps.matches(ip)) return true;
    }
    if (allowUsers.size > 0 && ctx?.actor && allowUsers.has(ctx.actor.id)) return true;
    return allowTenants.size > 0 && ctx?.tenantId !== undefined && allowTenants.has(ctx.tenantId);
  };

  const limitUnlessAllowed = (input: LimitInput, cost: number | undefined) =>
    allowed(input) ? report(skipped(name, dryRun), input) : run(planRequest(input, cost), input);

  const decide = (input: LimitInput, cost?: number): Pending<LimitResult> => {
    if (opts.skip) {
      const skip = opts.skip(input);
      if (isPromise(skip)) {
        return skip.then((s) =>
          s ? report(skipped(name, dryRun), input) : limitUnlessAllowed(input, cost),
        );
      }
      if (skip) return report(skipped(name, dryRun), input);
    }
    return limitUnlessAllowed(input, cost);
  };

  // check(key) reads the request context only when a limit or cost depends on it (or, for
  // the deny log, when it refuses): the hot path of a plain limit skips the lookup.
  const dynamic = policies.some((p) => p.dynamic);
  const contextOf = (options: CheckOptions | undefined): LimitInput =>
    options?.context
      ? { context: options.context }
      : dynamic
        ? { context: getContext() }
        : NO_INPUT;

  const limiter: Deciding = {
    name,
    policies,
    http: { headers: opts.headers, legacyHeaders: opts.legacyHeaders, problem },
    check(key, options) {
      try {
        const input = contextOf(options);
        return Promise.resolve(run(planKey(key, input, validCost(options?.cost)), input));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    checkSync(key, options) {
      if (!store.synchronous) {
        throw new TypeError(
          `rate limiter "${name}": checkSync() needs a synchronous store such as memoryStore(); this store answers with promises, so call check()`,
        );
      }
      const input = contextOf(options);
      const result = run(planKey(key, input, validCost(options?.cost)), input);
      if (isPromise(result)) {
        result.catch(() => undefined);
        throw new TypeError(
          `rate limiter "${name}": the store says it is synchronous but answered with a promise`,
        );
      }
      return result;
    },
    checkRequest(input, options) {
      try {
        return Promise.resolve(decide(input, validCost(options?.cost)));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async refund(target, options) {
      const units = validCost(options?.cost);
      let checks: readonly StoreCheck[];
      if (typeof target === 'string') checks = planKey(target, contextOf(options), units);
      else {
        const spent = (target as Spent)[SPENT] ?? [];
        (target as Spent)[SPENT] = undefined;
        checks = units === undefined ? spent : spent.map((c) => ({ ...c, cost: units }));
      }
      checks = checks.filter((c) => c.cost > 0);
      if (checks.length === 0) return;
      if (!store.refund) throw new TypeError('this rate-limit store does not support refunds');
      await store.refund(checks);
    },
    async reset(key) {
      if (!store.reset) throw new TypeError('this rate-limit store does not support reset');
      const subject = keyer.escape(key);
      await store.reset(
        policies.map((_, i) => ({ key: keyOf(i, subject), scope: scopes[i] as string, subject })),
      );
    },
    [DECIDE]: decide,
  };
  return limiter;
}
