import { closest, type LimitResult, type PolicyResult } from './result.js';

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers): a structured-field List with
 * one String item per policy, `q` the quota and `w` the window in seconds.
 */
export function policyHeader(policies: readonly PolicyResult[]): string {
  return policies
    .map((p) => `"${p.policy}";q=${p.limit};w=${Math.max(1, seconds(p.windowMs))}`)
    .join(', ');
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

/** All rate-limit response headers for the results of one request (several limiters merge). */
export function rateLimitHeaders(
  results: readonly LimitResult[],
  settings: HeaderSettings,
  nowMs: number = Date.now(),
): Record<string, string> {
  const out: Record<string, string> = {};
  const policies = results.flatMap((r) => (r.dryRun ? [] : r.policies));
  const top = closest(policies);
  if (!top) return out;
  if (settings.headers) {
    out['RateLimit-Policy'] = policyHeader(policies);
    out.RateLimit = limitHeader(top);
  }
  if (settings.legacyHeaders) {
    out['X-RateLimit-Limit'] = String(top.limit);
    out['X-RateLimit-Remaining'] = String(top.remaining);
    out['X-RateLimit-Reset'] = String(Math.ceil((nowMs + top.resetMs) / 1000));
  }
  return out;
}
