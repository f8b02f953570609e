import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWait, memoryStore, type RateLimiter, rateLimiter } from '../src/index.js';

export async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The limiters every binding test uses: 3/min per user (per IP when anonymous), 1/min for AI. */
export function limiters(extra: { legacyHeaders?: boolean } = {}): {
  api: RateLimiter;
  ai: RateLimiter;
} {
  return {
    api: rateLimiter({
      name: 'api',
      policies: { name: 'per-user', limit: 3, window: '1m', by: 'user' },
      store: memoryStore(),
      log: false,
      ...extra,
    }),
    ai: rateLimiter({
      name: 'ai',
      policies: { name: 'ai-per-user', limit: 1, window: '1m', by: 'user', unit: 'AI calls' },
      store: memoryStore(),
      log: false,
    }),
  };
}

export const as = (user: string) => ({ 'x-user': user });

/** Asserts a complete 429: problem body, friendly message, Retry-After agreeing with RateLimit. */
export async function expectTooMany(
  res: Response,
  message: RegExp,
  violated: string[],
  maxWaitSeconds = 120,
) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const retryAfter = Number(res.headers.get('retry-after'));
  // sliding window: after a burst, the previous window's weight keeps counting into the next
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxWaitSeconds).toBe(
    true,
  );
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    status: 429,
    title: 'Too many requests',
    retryAfter,
    'violated-policies': violated,
  });
  expect(body.detail).toMatch(message);
  expect(body.detail).toMatch(new RegExp(`Try again in ${describeWait(retryAfter * 1000)}\\.$`));
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(body).not.toHaveProperty('debug');
  expect(res.headers.get('ratelimit')).toBe(`"${violated[0]}";r=0;t=${retryAfter}`);
  return body;
}

/** A binding's app for {@link describeLimitedApi}, listening on loopback. */
export type ServeLimitedApi = (limiters: {
  api: RateLimiter;
  ai: RateLimiter;
}) => Promise<{ url: string; close(): void }>;

/**
 * The behaviour every binding shares, on an app whose user comes from `x-user`:
 * `GET /api/items` under `api`, `POST /api/ai` under `api` then `ai`, `GET /api/twice` under
 * `api` mounted twice, `GET /health` unlimited. `anonymous` are the request headers of a
 * client without a user (whatever lets the binding see its IP).
 */
export function describeLimitedApi(
  name: string,
  serve: ServeLimitedApi,
  anonymous: Record<string, string> = {},
): void {
  describe(name, () => {
    const { api, ai } = limiters({ legacyHeaders: true });
    let url: string;
    let close: () => void;

    beforeAll(async () => {
      ({ url, close } = await serve({ api, ai }));
    });
    afterAll(() => close());

    it('sends RateLimit-Policy, RateLimit and legacy headers, counting down', async () => {
      const a = await fetch(`${url}/api/items`, { headers: as('ann') });
      const b = await fetch(`${url}/api/items`, { headers: as('ann') });
      expect(a.status).toBe(200);
      expect(a.headers.get('ratelimit-policy')).toBe('"per-user";q=3;w=60');
      expect(a.headers.get('ratelimit')).toMatch(/^"per-user";r=2;t=(119|120)$/);
      expect(b.headers.get('ratelimit')).toMatch(/^"per-user";r=1;t=(119|120)$/);
      expect(b.headers.get('x-ratelimit-limit')).toBe('3');
      expect(b.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(Number(b.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    });

    it('answers the 4th request with 429 problem+json, a friendly message and Retry-After', async () => {
      for (let i = 0; i < 3; i++) await fetch(`${url}/api/items`, { headers: as('bob') });
      const res = await fetch(`${url}/api/items`, { headers: as('bob') });
      await expectTooMany(res, /^You can send up to 3 requests per minute\. /, ['per-user']);
      expect((await fetch(`${url}/api/items`, { headers: as('cid') })).status).toBe(200);
      expect((await fetch(`${url}/health`, { headers: as('bob') })).status).toBe(200);
    });

    it('applies both limiters on one route, and refunds the first when the second refuses', async () => {
      const first = await fetch(`${url}/api/ai`, { method: 'POST', headers: as('dee') });
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-policy')).toBe(
        '"per-user";q=3;w=60, "ai-per-user";q=1;w=60',
      );
      expect(first.headers.get('ratelimit')).toMatch(/^"ai-per-user";r=0;/);
      const second = await fetch(`${url}/api/ai`, { method: 'POST', headers: as('dee') });
      await expectTooMany(second, /^You can send up to 1 AI calls per minute\. /, ['ai-per-user']);
      // the refused AI call gave its per-user unit back: 2 of 3 spent, not 3
      const after = await fetch(`${url}/api/items`, { headers: as('dee') });
      expect(after.headers.get('ratelimit')).toMatch(/^"per-user";r=1;/);
    });

    it('counts a limiter mounted app-wide and on the route once', async () => {
      const res = await fetch(`${url}/api/twice`, { headers: as('fay') });
      expect(res.headers.get('ratelimit')).toMatch(/^"per-user";r=2;/);
    });

    it('limits anonymous clients by IP', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await fetch(`${url}/api/items`, { headers: anonymous })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    it('sends a HEAD refusal without a body', async () => {
      for (let i = 0; i < 3; i++) await fetch(`${url}/api/items`, { headers: as('eve') });
      const res = await fetch(`${url}/api/items`, { method: 'HEAD', headers: as('eve') });
      expect(res.status).toBe(429);
      expect(await res.text()).toBe('');
    });
  });
}

/** A binding's app for {@link describeFailModes}: `GET /closed` and `GET /open`. */
export type ServeFailModes = (limiters: {
  closed: RateLimiter;
  open: RateLimiter;
}) => Promise<{ url: string; close(): void }>;

/** What a binding sends while the store fails: 503 when failing closed, the route when open. */
export function describeFailModes(name: string, serve: ServeFailModes): void {
  describe(name, () => {
    it('answers 503 problem+json when failing closed, and passes when failing open', async () => {
      const store = { consume: () => Promise.reject(new Error('down')) };
      const policies = { name: 'p', limit: 5, window: '1m' };
      const closed = rateLimiter({ name: 'c', policies, store, failMode: 'closed', log: false });
      const open = rateLimiter({ name: 'o', policies, store, failMode: 'open', log: false });
      const { url, close } = await serve({ closed, open });
      try {
        const res = await fetch(`${url}/closed`);
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await res.json()).toMatchObject({ status: 503, code: 'rate_limit_unavailable' });
        const ok = await fetch(`${url}/open`);
        expect(await ok.text()).toBe('served');
        expect(ok.headers.get('ratelimit')).toBeNull();
      } finally {
        close();
      }
    });
  });
}
