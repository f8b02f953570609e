import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, stopAll } from './harness.js';

/**
 * fetch, sent again once when a kept-alive connection was reset: the server closed it as
 * idle just as the request went out, so the request never reached the app (and counted
 * nothing). Happens on a busy machine when a test pauses longer than the keep-alive timeout.
 */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    return fetch(url, init);
  }
}

/** Starts the example with these extra environment variables. */
export type StartWith = (env: Record<string, string>) => Promise<RunningApp>;

const PER_USER = 5;
const ITEM_WRITES = 2;

/**
 * The rate-limit suite shared by the three examples. Each starts with
 * RATE_LIMIT_PER_MINUTE=5 (per user on /api/*, per IP when anonymous) and
 * ITEMS_RATE_LIMIT_PER_MINUTE=2 (POST /api/items), memory store.
 */
export function describeRateLimits(start: StartWith): void {
  let app: RunningApp;

  beforeAll(async () => {
    app = await start({
      RATE_LIMIT_PER_MINUTE: String(PER_USER),
      ITEMS_RATE_LIMIT_PER_MINUTE: String(ITEM_WRITES),
    });
  });
  afterAll(stopAll);

  const get = (user?: string, path = '/api/items') =>
    send(`${app.url}${path}`, { headers: user ? { 'x-user-id': user } : {} });
  const post = (user: string) =>
    send(`${app.url}/api/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': user },
      body: JSON.stringify({ name: 'Cable', price: 3 }),
    });

  async function expect429(res: Response, policies: string[], limit: number) {
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 429,
      code: 'rate_limit',
      title: 'Too many requests',
      retryAfter,
      'violated-policies': policies,
      requestId: res.headers.get('x-request-id'),
      instance: '/api/items',
    });
    expect(body.detail).toMatch(
      new RegExp(
        `^You can send up to ${limit} requests per minute\\. Try again in \\d+ (second|minute)s?\\.$`,
      ),
    );
    // RateLimit names the refused policy; its t equals Retry-After.
    expect(res.headers.get('ratelimit')).toBe(`"${policies[0]}";r=0;t=${retryAfter}`);
    return body;
  }

  describe('per-user limit on /api/*', () => {
    it('counts down in RateLimit, then answers 429 problem+json with the friendly message', async () => {
      for (let i = 1; i <= PER_USER; i++) {
        const res = await get('rl-alice');
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-policy')).toBe(`"per-user";q=${PER_USER};w=60`);
        expect(res.headers.get('ratelimit')).toMatch(
          new RegExp(`^"per-user";r=${PER_USER - i};t=\\d+$`),
        );
      }
      const refused = await get('rl-alice');
      expect(refused.headers.get('ratelimit-policy')).toBe(`"per-user";q=${PER_USER};w=60`);
      await expect429(refused, ['per-user'], PER_USER);
      // the refusal carries the security headers too
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('keeps users apart: another user is unaffected', async () => {
      const res = await get('rl-bob');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`^"per-user";r=${PER_USER - 1};t=`));
      expect((await get('rl-alice')).status).toBe(429);
    });

    it('counts anonymous requests per client IP, apart from signed-in users', async () => {
      for (let i = 1; i <= PER_USER; i++) expect((await get()).status).toBe(200);
      await expect429(await get(), ['per-user'], PER_USER);
      expect((await get('rl-carol')).status).toBe(200);
    });

    it('applies to every /api route of the user', async () => {
      const res = await get('rl-alice', '/api/whoami');
      expect(res.status).toBe(429);
    });

    it('leaves routes outside /api alone', async () => {
      const res = await fetch(`${app.url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
      expect(res.headers.get('ratelimit-policy')).toBeNull();
    });
  });

  describe('tighter limit on POST /api/items', () => {
    it(`admits ${ITEM_WRITES} writes per minute, then 429 names the route policy`, async () => {
      for (let i = 1; i <= ITEM_WRITES; i++) {
        const res = await post('rl-dave');
        expect(res.status).toBe(201);
        expect(res.headers.get('ratelimit-policy')).toBe(
          `"per-user";q=${PER_USER};w=60, "item-writes";q=${ITEM_WRITES};w=60`,
        );
      }
      await expect429(await post('rl-dave'), ['item-writes'], ITEM_WRITES);
    });

    it('does not spend the per-user limit on the refused write; reads still pass', async () => {
      // 2 writes admitted, 1 refused (given back): this read is the user's third unit.
      const res = await get('rl-dave');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toMatch(new RegExp(`^"per-user";r=${PER_USER - 3};t=`));
    });

    it('is per user too', async () => {
      expect((await post('rl-erin')).status).toBe(201);
    });
  });
}

/** The part of a Redis client (ioredis) the Redis suite's clean-up uses. */
interface ScanningRedis {
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    n: number,
  ): Promise<[cursor: string, keys: string[]]>;
  del(...keys: string[]): Promise<number>;
  quit(): Promise<string>;
}

/**
 * The rate-limit suite on the example's memory store (its default) and again on Redis
 * (PLATFORM_RATELIMIT_REDIS_URL, a key prefix of its own, deleted afterwards). The example
 * hands in its Redis client constructor: this folder has no dependencies of its own.
 */
export function describeRateLimitsOnBothStores(
  start: StartWith,
  connect: (url: string) => ScanningRedis,
): void {
  describe('memory store (default)', () => {
    describeRateLimits(start);
  });

  describe('Redis store (PLATFORM_RATELIMIT_REDIS_URL)', () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `example-rl-${Math.random().toString(36).slice(2, 10)}:`;

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
      const redis = connect(url);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    });
  });
}
