import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { setActor } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { rateLimit } from '../src/hono.js';
import {
  as,
  describeFailModes,
  describeLimitedApi,
  expectTooMany,
  limiters,
  listening,
} from './http-support.js';

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

describeLimitedApi(
  'Hono rateLimit()',
  async ({ api, ai }) => {
    const { server, url } = await serveHono((app) => {
      app.use('/api/*', rateLimit(api));
      app.get('/api/items', (c) => c.json({ ok: true }));
      app.post('/api/ai', rateLimit(ai, { route: '/api/ai' }), (c) => c.json({ answer: 42 }));
      app.get('/api/twice', rateLimit(api), (c) => c.json({ ok: true }));
      app.get('/health', (c) => c.text('ok'));
    });
    return { url, close: () => server.close() };
  },
  // the trusted proxy names the client
  { 'x-forwarded-for': '198.51.100.7' },
);

describe('Hono rateLimit() on responses of any kind', () => {
  it('puts the headers on a Response of the handler’s own, and names the route', async () => {
    const { api } = limiters();
    const { server, url } = await serveHono((app) => {
      app.get('/api/raw', rateLimit(api, { route: '/api/raw' }), () => new Response('raw'));
    });
    try {
      const res = await fetch(`${url}/api/raw`, { headers: as('ann') });
      expect(await res.text()).toBe('raw');
      expect(res.headers.get('ratelimit-policy')).toBe('"per-user";q=3;w=60');
      expect(res.headers.get('ratelimit')).toMatch(/^"per-user";r=2;t=(119|120)$/);
      for (let i = 0; i < 2; i++) await fetch(`${url}/api/raw`, { headers: as('ann') });
      const refused = await fetch(`${url}/api/raw`, { headers: as('ann') });
      const body = await expectTooMany(refused, /^You can send up to 3 requests per minute\. /, [
        'per-user',
      ]);
      expect(body.instance).toBe('/api/raw');
    } finally {
      server.close();
    }
  });
});

describeFailModes('Hono rateLimit() when the store fails', async ({ closed, open }) => {
  const { server, url } = await serveHono((app) => {
    app.get('/closed', rateLimit(closed), (c) => c.text('served'));
    app.get('/open', rateLimit(open), (c) => c.text('served'));
  });
  return { url, close: () => server.close() };
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
