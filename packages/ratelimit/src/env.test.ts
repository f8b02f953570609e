import { EnvError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { limiterOptionsFromEnv, policyFromEnv } from './env.js';
import { rateLimiter } from './limiter.js';

const base = { name: 'api', limit: 20, window: '1m', by: 'user' } as const;

describe('policyFromEnv', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(policyFromEnv(base, { env: {} })).toEqual(base);
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: '50' }, { limit: 50, window: 60_000 }],
    [{ RATE_LIMIT_PER_DAY: '1000' }, { limit: 1000, window: 86_400_000 }],
    [
      { RATE_LIMIT_LIMIT: '7', RATE_LIMIT_WINDOW_MS: '30000' },
      { limit: 7, window: 30_000 },
    ],
    [{ RATE_LIMIT_WINDOW_MS: '5000' }, { limit: 20, window: 5000 }],
    [
      { RATE_LIMIT_ALGORITHM: 'gcra', RATE_LIMIT_BURST: '5' },
      { algorithm: 'gcra', burst: 5 },
    ],
    [{ RATE_LIMIT_BLOCK_MS: '60000' }, { blockDuration: 60_000 }],
  ])('reads %j', (env, expected) => {
    expect(policyFromEnv(base, { env })).toMatchObject(expected);
  });

  it('reads its own prefix, so several policies can be configured', () => {
    const ai = policyFromEnv(
      { name: 'ai', limit: 100, window: '1d', by: 'tenant' },
      { prefix: 'AI_RATE_LIMIT', env: { AI_RATE_LIMIT_PER_DAY: '5000', RATE_LIMIT_PER_DAY: '1' } },
    );
    expect(ai).toMatchObject({ limit: 5000, window: 86_400_000 });
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: '' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: '-5' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_WINDOW_MS: '0' }, 'RATE_LIMIT_WINDOW_MS'],
    [{ RATE_LIMIT_ALGORITHM: 'leaky' }, 'RATE_LIMIT_ALGORITHM'],
    [{ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_PER_HOUR: '100' }, 'RATE_LIMIT_PER_HOUR'],
    [{ RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_WINDOW_MS: '1000' }, 'RATE_LIMIT_WINDOW_MS'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => policyFromEnv(base, { env })).toThrow(EnvError);
    expect(() => policyFromEnv(base, { env })).toThrow(name);
  });

  it('feeds a limiter', async () => {
    const limiter = rateLimiter({
      policies: policyFromEnv(base, { env: { RATE_LIMIT_PER_MINUTE: '3' } }),
      log: false,
    });
    expect((await limiter.check('k')).remaining).toBe(2);
  });
});

describe('limiterOptionsFromEnv', () => {
  it('reads dry-run and fail mode, only when set', () => {
    expect(limiterOptionsFromEnv({ env: {} })).toEqual({});
    expect(
      limiterOptionsFromEnv({ env: { RATE_LIMIT_DRY_RUN: '1', RATE_LIMIT_FAIL_MODE: 'closed' } }),
    ).toEqual({
      dryRun: true,
      failMode: 'closed',
    });
    expect(() => limiterOptionsFromEnv({ env: { RATE_LIMIT_FAIL_MODE: 'sideways' } })).toThrow(
      'RATE_LIMIT_FAIL_MODE',
    );
  });
});
