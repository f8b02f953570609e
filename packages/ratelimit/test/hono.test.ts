import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { setActor } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit } from '../src/hono.js';
import { rateLimiter } from '../src/index.js';
import { as, expectTooMany, limiters, listening } from './http-support.js';

/**
 * A Hono app served by @hono/node-server on loopback, inside a @platform request context
 * (one proxy hop trusted, so X-Forwarded-For names the client), with the user from `x-user`.
 */
async function serveHono(build: (app: Hono) => void, withContext = true) {
  const app = new Hono();
  app.use(async (c, next) => {
    const id = c.req.header('x-user');
    if (id) setActor({ type: 'user', id, roles: [] });
    await next();
  });
  build(app);
  const bare = (request: Request) => app.fetch(request);
  const fetch = withContext ? withRequestContext(bare, { trustProxy: 1 }) : bare;
  const server = createAdaptorServer({ fetch }) as Server;
  server.listen(0, '127.0.0.1');
  return { server, url: await listening(server) };
}

describe('Hono rateLimit()', () => {
  const { api, ai } = limiters({ legacyHeaders: true });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await serveHono((app) => {
      app.use('/api/*', rateLimit(api));
      app.get('/api/items', (c) => c.json({ ok: true }));
      app.get('/api/raw', () => new Response('raw'));
      app.post('/api/ai', rateLimit(ai, { route: '/api/ai' }), (c) => c.json({ answer: 42 }));
      app.get('/api/twice', rateLimit(api), (c) => c.json({ ok: true }));
      app.get('/health', (c) => c.text('ok'));
    }));
  });
  afterAll(() => {
    server.close();
  });

  it('sends RateLimit-Policy, RateLimit and legacy headers, counting down', async () => {
    const a = await fetch(`${url}/api/items`, { headers: as('ann') });
    const b = await fetch(`${url}/api/raw`, { headers: as('ann') });
    expect(a.status).toBe(200);
    expect(a.headers.get('ratelimit-policy')).toBe('"per-user";q=3;w=60');
    expect(a.headers.get('ratelimit')).toMatch(/^"per-user";r=2;t=(119|120)$/);
    expect(await b.text()).toBe('raw');
    expect(b.headers.get('ratelimit')).toMatch(/^"per-user";r=1;t=(119|120)$/);
    expect(b.headers.get('x-ratelimit-limit')).toBe('3');
    expect(b.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(Number(b.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('answers the 4th request with 429 problem+json, a friendly message and Retry-After', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${url}/api/items`, { headers: as('bob') });
    const res = await fetch(`${url}/api/items`, { headers: as('bob') });
    const body = await expectTooMany(res, /^You can send up to 3 requests per minute\. /, [
      'per-user',
    ]);
    expect(body.instance).toBe('/api/items');
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
    const after = await fetch(`${url}/api/items`, { headers: as('dee') });
    expect(after.headers.get('ratelimit')).toMatch(/^"per-user";r=1;/);
  });

  it('counts a limiter mounted for all routes and on the route once', async () => {
    const res = await fetch(`${url}/api/twice`, { headers: as('fay') });
    expect(res.headers.get('ratelimit')).toMatch(/^"per-user";r=2;/);
  });

  it('limits anonymous clients by the IP the trusted proxy names', async () => {
    const from = (ip: string) => fetch(`${url}/api/items`, { headers: { 'x-forwarded-for': ip } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await from('198.51.100.7')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await from('198.51.100.8')).status).toBe(200);
  });

  it('sends a HEAD refusal without a body', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${url}/api/items`, { headers: as('eve') });
    const res = await fetch(`${url}/api/items`, { method: 'HEAD', headers: as('eve') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.text()).toBe('');
  });
});

describe('Hono rateLimit() when the store fails', () => {
  it('answers 503 problem+json when failing closed, and passes when failing open', async () => {
    const store = { consume: () => Promise.reject(new Error('down')) };
    const policies = { name: 'p', limit: 5, window: '1m' };
    const closed = rateLimiter({ name: 'c', policies, store, failMode: 'closed', log: false });
    const open = rateLimiter({ name: 'o', policies, store, failMode: 'open', log: false });
    const { server, url } = await serveHono((app) => {
      app.get('/closed', rateLimit(closed), (c) => c.text('served'));
      app.get('/open', rateLimit(open), (c) => c.text('served'));
    });
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
      server.close();
    }
  });
});

describe('Hono rateLimit() without a request context', () => {
  it('still merges the limiters of one request, and refunds the first on a refusal', async () => {
    const { api, ai } = limiters();
    const { server, url } = await serveHono((app) => {
      app.use('/api/*', rateLimit(api));
      app.get('/api/items', (c) => c.json({ ok: true }));
      app.post('/api/ai', rateLimit(ai), (c) => c.json({ answer: 42 }));
    }, false);
    try {
      const first = await fetch(`${url}/api/ai`, { method: 'POST' });
      expect(first.headers.get('ratelimit-policy')).toBe(
        '"per-user";q=3;w=60, "ai-per-user";q=1;w=60',
      );
      const second = await fetch(`${url}/api/ai`, { method: 'POST' });
      expect(second.status).toBe(429);
      expect(second.headers.get('ratelimit')).toMatch(/^"ai-per-user";r=0;/);
      // no client IP without a context: everyone shares the `ip=unknown` bucket
      const items = await fetch(`${url}/api/items`);
      expect(items.headers.get('ratelimit')).toMatch(/^"per-user";r=1;/);
    } finally {
      server.close();
    }
  });
});
