import type { Server } from 'node:http';
import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit } from '../src/express.js';
import { rateLimiter } from '../src/index.js';
import { as, expectTooMany, limiters, listening } from './http-support.js';

async function start(build: (app: express.Express) => void) {
  const app = express();
  app.use(requestContext());
  app.use((req, _res, next) => {
    const id = req.header('x-user');
    if (id) setActor({ type: 'user', id, roles: [] });
    next();
  });
  build(app);
  const server = app.listen(0, '127.0.0.1');
  return { server, url: await listening(server) };
}

describe('Express rateLimit()', () => {
  const { api, ai } = limiters({ legacyHeaders: true });
  let server: Server;
  let url: string;

  beforeAll(async () => {
    ({ server, url } = await start((app) => {
      app.use('/api', rateLimit(api));
      app.get('/api/items', (_req, res) => {
        res.json({ ok: true });
      });
      app.post('/api/ai', rateLimit(ai), (_req, res) => {
        res.json({ answer: 42 });
      });
      app.get('/api/twice', rateLimit(api), (_req, res) => {
        res.json({ ok: true });
      });
      app.get('/health', (_req, res) => {
        res.send('ok');
      });
    }));
  });
  afterAll(() => {
    server.close();
  });

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
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${url}/api/items`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('sends a HEAD refusal without a body', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${url}/api/items`, { headers: as('eve') });
    const res = await fetch(`${url}/api/items`, { method: 'HEAD', headers: as('eve') });
    expect(res.status).toBe(429);
    expect(await res.text()).toBe('');
  });
});

describe('Express rateLimit() when the store fails', () => {
  it('answers 503 problem+json when failing closed, and passes when failing open', async () => {
    const store = { consume: () => Promise.reject(new Error('down')) };
    const policies = { name: 'p', limit: 5, window: '1m' };
    const closed = rateLimiter({ name: 'c', policies, store, failMode: 'closed', log: false });
    const open = rateLimiter({ name: 'o', policies, store, failMode: 'open', log: false });
    const { server, url } = await start((app) => {
      app.get('/closed', rateLimit(closed), (_req, res) => {
        res.send('served');
      });
      app.get('/open', rateLimit(open), (_req, res) => {
        res.send('served');
      });
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

describe('Express rateLimit() without a request context', () => {
  it('still limits by the socket address, with the headers and the 429 problem', async () => {
    const limiter = rateLimiter({
      name: 'bare',
      policies: { name: 'per-ip', limit: 2, window: '1m', by: 'ip', algorithm: 'fixed' },
      log: false,
    });
    const app = express();
    app.get('/items', rateLimit(limiter), (_req, res) => {
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    const url = await listening(server);
    try {
      const first = await fetch(`${url}/items`);
      expect(first.headers.get('ratelimit')).toBe('"per-ip";r=1;t=60');
      await fetch(`${url}/items`);
      const refused = await fetch(`${url}/items`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('ratelimit')).toMatch(/^"per-ip";r=0;t=\d+$/);
      const body = (await refused.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: 429,
        instance: '/items',
        'violated-policies': ['per-ip'],
      });
      // no context to take it from: @platform/errors gives the problem a fresh one
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(refused.headers.get('x-request-id')).toBeNull();
    } finally {
      server.close();
    }
  });
});
