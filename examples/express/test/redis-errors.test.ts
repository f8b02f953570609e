import { shutdown } from '@platform/core';
import { afterAll, expect, it, vi } from 'vitest';
import { exampleRateLimitStore } from '../../shared/ratelimit-limiters.js';

afterAll(() => vi.restoreAllMocks());

it('the example Redis client prints no "Unhandled error event" while Redis is down', async () => {
  const printed: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  process.env.PLATFORM_RATELIMIT_REDIS_URL = 'redis://127.0.0.1:1';
  try {
    const { ready } = exampleRateLimitStore(false);
    await ready;
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    delete process.env.PLATFORM_RATELIMIT_REDIS_URL;
    await shutdown({ timeoutMs: 1_000 }).catch(() => undefined);
  }
  expect(printed.filter((l) => l.includes('Unhandled error event'))).toEqual([]);
}, 10_000);
