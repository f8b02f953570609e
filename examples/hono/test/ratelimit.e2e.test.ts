import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { startApp } from '../../test-support/harness.js';
import { describeRateLimits } from '../../test-support/ratelimit-suite.js';

const start = (env: Record<string, string>) =>
  startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...env },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });

describe('memory store (default)', () => {
  describeRateLimits(start);
});

describe('Redis store (PLATFORM_RATELIMIT_REDIS_URL)', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `example-rl-${randomUUID().slice(0, 8)}:`;

  describeRateLimits((env) =>
    start({
      ...env,
      PLATFORM_RATELIMIT_REDIS_URL: url,
      PLATFORM_RATELIMIT_REDIS_PREFIX: prefix,
      // generous: the machine running the tests may be busy; past it, requests pass unlimited
      PLATFORM_RATELIMIT_REDIS_TIMEOUT_MS: '2000',
    }),
  );

  afterAll(async () => {
    const redis = new Redis(url);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
  });
});
