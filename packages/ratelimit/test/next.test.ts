import { withRequestContext } from '@platform/core/next';
import { describe, expect, it } from 'vitest';
import { memoryStore, rateLimiter } from '../src/index.js';
import { rateLimitProxy, withRateLimit } from '../src/next.js';
import { expectTooMany } from './http-support.js';

const request = (ip: string, method = 'GET') =>
  new Request('http://localhost:3000/api/items', { method, headers: { 'x-forwarded-for': ip } });

const limiter = () =>
  rateLimiter({
    policies: { name: 'per-ip', limit: 2, window: '1m', by: 'ip', algorithm: 'fixed' },
    store: memoryStore(),
    log: false,
  });

describe('withRateLimit (route handlers)', () => {
  it('adds the headers to the handler’s response, then answers 429 with the request id', async () => {
    const GET = withRequestContext(
      withRateLimit(() => Response.json({ ok: true }), limiter(), { route: '/api/items' }),
      { trustProxy: 1 },
    );
    const first = await GET(request('198.51.100.1'));
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"per-ip";q=2;w=60');
    expect(first.headers.get('ratelimit')).toBe('"per-ip";r=1;t=60');
    expect(first.headers.get('x-request-id')).toBeTruthy();
    await GET(request('198.51.100.1'));
    const refused = await GET(request('198.51.100.1'));
    await expectTooMany(refused, /^You can send up to 2 requests per minute\. /, ['per-ip']);
    expect((await GET(request('198.51.100.2'))).status).toBe(200);
  });

  it('without a client IP (no trustProxy), puts everyone in one bucket; no body to HEAD', async () => {
    let calls = 0;
    const HEAD = withRateLimit(() => {
      calls++;
      return new Response(null);
    }, limiter());
    await HEAD(request('198.51.100.3', 'HEAD'));
    await HEAD(request('198.51.100.4', 'HEAD'));
    const refused = await HEAD(request('198.51.100.5', 'HEAD'));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe('');
    expect(calls).toBe(2);
  });
});

describe('withRateLimit nested in one request context', () => {
  it('merges the headers, counts a limiter once and refunds the outer one on a refusal', async () => {
    const ip = limiter();
    const once = rateLimiter({
      name: 'once',
      policies: { name: 'once-per-ip', limit: 1, window: '1m', by: 'ip', algorithm: 'fixed' },
      store: memoryStore(),
      log: false,
    });
    const ok = () => Response.json({ ok: true });
    const options = { trustProxy: 1 };
    const GET = withRequestContext(withRateLimit(withRateLimit(ok, [ip, once]), ip), options);
    const first = await GET(request('192.0.2.10'));
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"per-ip";q=2;w=60, "once-per-ip";q=1;w=60');
    expect(first.headers.get('ratelimit')).toBe('"once-per-ip";r=0;t=60');
    const refused = await GET(request('192.0.2.10'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit')).toMatch(/^"once-per-ip";r=0;t=\d+$/);
    // the refused request gave its per-ip unit back: one of two spent
    const alone = await withRequestContext(withRateLimit(ok, ip), options)(request('192.0.2.10'));
    expect(alone.headers.get('ratelimit')).toBe('"per-ip";r=0;t=60');
  });
});

describe('rateLimitProxy (proxy.ts)', () => {
  it('returns headers to forward, then the 429 response', async () => {
    const limit = rateLimitProxy(limiter(), { trustProxy: 1 });
    const first = await limit(request('203.0.113.5'));
    expect(first.response).toBeUndefined();
    expect(first.headers.get('ratelimit')).toBe('"per-ip";r=1;t=60');
    expect(first.headers.get('x-request-id')).toBe(first.requestId);
    expect(first.requestHeaders.get('x-request-id')).toBe(first.requestId);
    expect(first.requestHeaders.get('x-forwarded-for')).toBe('203.0.113.5');
    await limit(request('203.0.113.5'));
    const third = await limit(request('203.0.113.5'));
    expect(third.response?.status).toBe(429);
    expect(third.response?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(third.response?.headers.get('x-request-id')).toBe(third.requestId);
    expect(await third.response?.json()).toMatchObject({
      status: 429,
      requestId: third.requestId,
      'violated-policies': ['per-ip'],
    });
    expect((await limit(request('203.0.113.6'))).response).toBeUndefined();
  });
});
