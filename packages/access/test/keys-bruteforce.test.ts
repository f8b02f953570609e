import { randomUUID } from 'node:crypto';
import { requestContext } from '@platform/core/express';
import { memoryStore, type RateLimitStore, rateLimiter } from '@platform/ratelimit';
import { rateLimit } from '@platform/ratelimit/express';
import { redisStore } from '@platform/ratelimit/redis';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyAuth } from '../src/express.js';
import { apiKeys, memoryKeyStore } from '../src/index.js';
import { capturingLogger, listening } from './keys-http-support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `access-test:${randomUUID().slice(0, 8)}:`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);

afterAll(async () => {
  const found = await redis.keys(`${prefix}*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/**
 * Express on loopback, one proxy hop trusted (X-Forwarded-For names the client): failed
 * key attempts are counted per IP by a @platform/ratelimit limiter (5 a minute), and
 * verified keys are limited per key id with `by: 'apiKey'` (3 a minute).
 */
async function serve(store: () => RateLimitStore) {
  const keys = apiKeys({ store: memoryKeyStore(), shutdown: false });
  const logger = capturingLogger();
  const attempts = rateLimiter({
    name: 'key-attempts',
    policies: { name: 'failed-keys', limit: 5, window: '1m', by: 'ip' },
    store: store(),
    log: false,
  });
  const perKey = rateLimiter({
    name: 'per-key',
    policies: { name: 'per-key', limit: 3, window: '1m', by: 'apiKey' },
    store: store(),
    log: false,
  });
  const app = express();
  app.use(requestContext({ trustProxy: 1 }));
  app.use(apiKeyAuth({ keys, attempts, logger }), rateLimit(perKey));
  app.get('/api/ping', (_req, res) => void res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { keys, url, close: () => void server.close() };
}

const stores: [string, () => RateLimitStore][] = [
  ['memory', () => memoryStore()],
  ['redis', () => redisStore({ client: redis, prefix: `${prefix}${randomUUID().slice(0, 6)}:` })],
];

describe.each(stores)('brute-forcing API keys, rate-limit store %s', (_name, store) => {
  it('answers 429 after 5 failed attempts from one address, before any lookup; others pass', async () => {
    const app = await serve(store);
    try {
      const { key, info } = await app.keys.create({ name: 'victim' });
      const call = (ip: string, k: string) =>
        fetch(`${app.url}/api/ping`, { headers: { 'x-forwarded-for': ip, 'x-api-key': k } });
      const guess = () => `pk_live_${info.id}_${randomUUID().replace(/-/g, '').padEnd(43, 'x')}`;
      for (let i = 0; i < 5; i++) expect((await call('203.0.113.9', guess())).status).toBe(401);
      const refused = await call('203.0.113.9', guess());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ status: 429, requestId: expect.any(String) });
      // even the right key: the address is locked out until the window passes
      expect((await call('203.0.113.9', key)).status).toBe(429);
      // another address with the right key is served; successes spend no attempt
      expect((await call('198.51.100.1', key)).status).toBe(200);
      // the key itself is limited by its id (by: 'apiKey'), whichever address sends it
      expect((await call('198.51.100.2', key)).status).toBe(200);
      expect((await call('198.51.100.3', key)).status).toBe(200);
      expect((await call('198.51.100.4', key)).status).toBe(429);
    } finally {
      app.close();
    }
  });
});
