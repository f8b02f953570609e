import type { HttpExchange } from '@platform/core';
import { closest, type LimitResult, type PolicyResult } from './result.js';

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): a structured-field List with
 * one String item per policy, `q` the quota and `w` the window in seconds.
 */
export function policyHeader(policies: readonly PolicyResult[]): string {
  let out = '';
  for (const p of policies) {
    if (out !== '') out += ', ';
    out += `"${p.policy}";q=${p.limit};w=${Math.max(1, seconds(p.windowMs))}`;
  }
  return out;
}

/**
 * `RateLimit` for one policy: `r` the units left, `t` the seconds within which no more than
 * `r` may be used (for a refused request, the wait, so it agrees with `Retry-After`).
 */
export function limitHeader(p: PolicyResult): string {
  const t = p.allowed ? seconds(p.resetMs) : Math.max(1, seconds(p.retryAfterMs));
  return `"${p.policy}";r=${p.remaining};t=${t}`;
}

/** `Retry-After` in whole seconds, never 0 for a refusal. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, seconds(ms));
}

export interface HeaderSettings {
  headers: boolean;
  legacyHeaders: boolean;
}

/** Where headers go: core's `HttpExchange`, or anything else with its `setHeader`. */
export type HeaderTarget = Pick<HttpExchange, 'setHeader'>;

// One request's policies, without copying in the usual case of a single limiter.
function policiesOf(results: readonly LimitResult[]): readonly PolicyResult[] {
  if (results.length === 1) {
    const r = results[0] as LimitResult;
    return r.dryRun ? [] : r.policies;
  }
  const out: PolicyResult[] = [];
  for (const r of results) if (!r.dryRun) out.push(...r.policies);
  return out;
}

/**
 * Sets the rate-limit response headers for the results of one request (several limiters
 * merge) on `target`: what {@link rateLimitHeaders} returns, without building a record.
 */
export function setRateLimitHeaders(
  results: readonly LimitResult[],
  settings: HeaderSettings,
  target: HeaderTarget,
  nowMs?: number,
): void {
  const policies = policiesOf(results);
  const top = policies.length === 1 ? policies[0] : closest(policies);
  if (!top) return;
  if (settings.headers) {
    target.setHeader('RateLimit-Policy', policyHeader(policies));
    target.setHeader('RateLimit', limitHeader(top));
  }
  if (settings.legacyHeaders) {
    target.setHeader('X-RateLimit-Limit', String(top.limit));
    target.setHeader('X-RateLimit-Remaining', String(top.remaining));
    target.setHeader(
      'X-RateLimit-Reset',
      String(Math.ceil(((nowMs ?? Date.now()) + top.resetMs) / 1000)),
    );
  }
}

/** All rate-limit response headers for the results of one request (several limiters merge). */
export function rateLimitHeaders(
  results: readonly LimitResult[],
  settings: HeaderSettings,
  nowMs: number = Date.now(),
): Record<string, string> {
  const out: Record<string, string> = {};
  const target = {
    setHeader(name: string, value: string) {
      out[name] = value;
    },
  };
  setRateLimitHeaders(results, settings, target, nowMs);
  return out;
}
