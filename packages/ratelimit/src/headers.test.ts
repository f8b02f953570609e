import { describe, expect, it } from 'vitest';
import { limitHeader, policyHeader, rateLimitHeaders, retryAfterSeconds } from './headers.js';
import type { LimitResult, PolicyResult } from './result.js';

function policy(o: Partial<PolicyResult>): PolicyResult {
  return {
    policy: 'p',
    algorithm: 'sliding',
    limit: 20,
    windowMs: 60_000,
    cost: 1,
    allowed: true,
    remaining: 10,
    resetMs: 30_000,
    retryAfterMs: 0,
    kind: 'user',
    key: 'u=1',
    ...o,
  };
}

function result(policies: PolicyResult[], o: Partial<LimitResult> = {}): LimitResult {
  return {
    allowed: true,
    limited: false,
    dryRun: false,
    degraded: false,
    skipped: false,
    limiter: 'l',
    policy: undefined,
    remaining: 0,
    resetMs: 0,
    retryAfterMs: 0,
    policies,
    ...o,
  };
}

describe('structured-field headers', () => {
  it('lists every policy as a String item with q and w in RateLimit-Policy', () => {
    expect(
      policyHeader([
        policy({ policy: 'per-user' }),
        policy({ policy: 'per-tenant', limit: 1000, windowMs: 86_400_000 }),
        policy({ policy: 'burst', limit: 5, windowMs: 500 }),
      ]),
    ).toBe('"per-user";q=20;w=60, "per-tenant";q=1000;w=86400, "burst";q=5;w=1');
  });

  it('gives r and t (whole seconds, rounded up) in RateLimit', () => {
    expect(limitHeader(policy({ remaining: 3, resetMs: 41_001 }))).toBe('"p";r=3;t=42');
    expect(limitHeader(policy({ remaining: 0, resetMs: 0 }))).toBe('"p";r=0;t=0');
  });

  it('uses the wait as t for a refused policy, so it agrees with Retry-After', () => {
    const p = policy({ allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 11_200 });
    expect(limitHeader(p)).toBe('"p";r=0;t=12');
    expect(retryAfterSeconds(11_200)).toBe(12);
    expect(retryAfterSeconds(1)).toBe(1);
  });
});

describe('rateLimitHeaders', () => {
  it('reports the closest policy across limiters, and legacy headers on request', () => {
    const headers = rateLimitHeaders(
      [
        result([policy({ policy: 'a', remaining: 9 })]),
        result([policy({ policy: 'b', limit: 100, remaining: 2, resetMs: 5000 })]),
      ],
      { headers: true, legacyHeaders: true },
      1_700_000_000_000,
    );
    expect(headers).toEqual({
      'RateLimit-Policy': '"a";q=20;w=60, "b";q=100;w=60',
      RateLimit: '"b";r=2;t=5',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '2',
      'X-RateLimit-Reset': '1700000005',
    });
  });

  it('sends nothing for skipped and dry-run results', () => {
    const settings = { headers: true, legacyHeaders: true };
    expect(rateLimitHeaders([result([])], settings)).toEqual({});
    expect(rateLimitHeaders([result([policy({})], { dryRun: true })], settings)).toEqual({});
  });
});
