import type { Algorithm, StoreCheck, StoreOutcome } from './store.js';

/** How one policy judged the request. Times are milliseconds from now. */
export interface PolicyResult {
  policy: string;
  algorithm: Algorithm;
  limit: number;
  windowMs: number;
  cost: number;
  allowed: boolean;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  /** What the key was derived from (`user`, `ip`, `tenant+route`, `key`). */
  kind: string;
  /** The escaped (or hashed) key value. */
  key: string;
}

/**
 * A limiter's decision. The top-level `remaining` / `resetMs` / `retryAfterMs` / `policy`
 * are those of the closest policy: the violated one with the longest wait, else the one
 * with the fewest units left.
 */
export interface LimitResult {
  /** Whether to serve the request. */
  allowed: boolean;
  /** A policy refused (also in dry-run, where `allowed` stays true). */
  limited: boolean;
  dryRun: boolean;
  /** The store could not answer; `allowed` follows the fail mode. */
  degraded: boolean;
  /** No policy applied (skip, allow list, or no key for any policy). */
  skipped: boolean;
  limiter: string;
  policy: string | undefined;
  remaining: number;
  resetMs: number;
  retryAfterMs: number;
  policies: PolicyResult[];
  /** The store's error when `degraded`. */
  error?: unknown;
}

/** A store check as the limiter plans it, with what results and logs report. */
export interface PlannedCheck extends StoreCheck {
  readonly policy: string;
  readonly kind: string;
}

/** The policy a client should watch: the violated one with the longest wait, else the fullest. */
export function closest(policies: readonly PolicyResult[]): PolicyResult | undefined {
  let best: PolicyResult | undefined;
  for (const p of policies) {
    if (!best) best = p;
    else if (!p.allowed) {
      if (best.allowed || p.retryAfterMs > best.retryAfterMs) best = p;
    } else if (best.allowed) {
      if (
        p.remaining < best.remaining ||
        (p.remaining === best.remaining && p.resetMs > best.resetMs)
      ) {
        best = p;
      }
    }
  }
  return best;
}

export function decided(
  limiter: string,
  checks: readonly PlannedCheck[],
  outcomes: readonly StoreOutcome[],
  dryRun: boolean,
): LimitResult {
  const policies: PolicyResult[] = new Array(checks.length);
  let limited = false;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i] as PlannedCheck;
    const o = outcomes[i] as StoreOutcome;
    if (!o.allowed) limited = true;
    policies[i] = {
      policy: c.policy,
      algorithm: c.algorithm,
      limit: c.limit,
      windowMs: c.windowMs,
      cost: c.cost,
      allowed: o.allowed,
      remaining: o.remaining,
      resetMs: o.resetMs,
      retryAfterMs: o.retryAfterMs,
      kind: c.kind,
      key: c.subject,
    };
  }
  const top =
    policies.length === 1 ? (policies[0] as PolicyResult) : (closest(policies) as PolicyResult);
  return {
    allowed: dryRun || !limited,
    limited,
    dryRun,
    degraded: false,
    skipped: false,
    limiter,
    policy: top.policy,
    remaining: top.remaining,
    resetMs: top.resetMs,
    retryAfterMs: limited ? top.retryAfterMs : 0,
    policies,
  };
}

export function skipped(limiter: string, dryRun: boolean): LimitResult {
  return {
    allowed: true,
    limited: false,
    dryRun,
    degraded: false,
    skipped: true,
    limiter,
    policy: undefined,
    remaining: Number.POSITIVE_INFINITY,
    resetMs: 0,
    retryAfterMs: 0,
    policies: [],
  };
}

export function degraded(
  limiter: string,
  failOpen: boolean,
  dryRun: boolean,
  error: unknown,
): LimitResult {
  return {
    allowed: failOpen || dryRun,
    limited: false,
    dryRun,
    degraded: true,
    skipped: false,
    limiter,
    policy: undefined,
    remaining: Number.POSITIVE_INFINITY,
    resetMs: 0,
    retryAfterMs: failOpen ? 0 : 1000,
    policies: [],
    error,
  };
}
