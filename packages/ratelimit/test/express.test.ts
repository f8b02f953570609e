import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { rateLimit } from '../src/express.js';
import { rateLimiter } from '../src/index.js';
import { describeFailModes, describeLimitedApi, listening } from './http-support.js';

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

describeLimitedApi('Express rateLimit()', async ({ api, ai }) => {
  const { server, url } = await start((app) => {
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
  });
  return { url, close: () => server.close() };
});

describeFailModes('Express rateLimit() when the store fails', async ({ closed, open }) => {
  const { server, url } = await start((app) => {
    app.get('/closed', rateLimit(closed), (_req, res) => {
      res.send('served');
    });
    app.get('/open', rateLimit(open), (_req, res) => {
      res.send('served');
    });
  });
  return { url, close: () => server.close() };
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
