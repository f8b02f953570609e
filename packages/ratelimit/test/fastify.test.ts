import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit } from '../src/fastify.js';
import { memoryStore, rateLimiter } from '../src/index.js';
import { as, expectTooMany, limiters } from './http-support.js';

describe('Fastify rateLimit plugin', () => {
  const { api, ai } = limiters();
  const daily = rateLimiter({
    name: 'daily',
    policies: { name: 'ai-per-day', limit: 2, window: '1d', by: 'user', algorithm: 'fixed' },
    store: memoryStore(),
    log: false,
  });
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = Fastify();
    await app.register(requestContext);
    app.addHook('onRequest', async (req) => {
      const id = req.headers['x-user'];
      if (typeof id === 'string') setActor({ type: 'user', id, roles: [] });
    });
    await app.register(rateLimit, { limiters: api });
    app.get('/api/items', async () => ({ ok: true }));
    app.post('/api/ai', { config: { rateLimit: ai } }, async () => ({ answer: 42 }));
    app.post('/api/ai-daily', { config: { rateLimit: [daily] } }, async () => ({ answer: 42 }));
    app.get('/health', { config: { rateLimit: false } }, async () => 'ok');
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends the headers and then the 429 from onRequest', async () => {
    const ok = await fetch(`${url}/api/items`, { headers: as('ann') });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toBe('"per-user";q=3;w=60');
    expect(ok.headers.get('ratelimit')).toMatch(/^"per-user";r=2;t=\d+$/);
    await fetch(`${url}/api/items`, { headers: as('ann') });
    await fetch(`${url}/api/items`, { headers: as('ann') });
    const res = await fetch(`${url}/api/items`, { headers: as('ann') });
    await expectTooMany(res, /^You can send up to 3 requests per minute\. /, ['per-user']);
  });

  it('adds a route’s own limiters to the plugin’s', async () => {
    const ok = await fetch(`${url}/api/ai`, { method: 'POST', headers: as('bob') });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toBe('"per-user";q=3;w=60, "ai-per-user";q=1;w=60');
    const res = await fetch(`${url}/api/ai`, { method: 'POST', headers: as('bob') });
    await expectTooMany(res, /^You can send up to 1 AI calls per minute\. /, ['ai-per-user']);
    const items = await fetch(`${url}/api/items`, { headers: as('bob') });
    expect(items.headers.get('ratelimit')).toMatch(/^"per-user";r=1;/);
  });

  it('names the day in the message of a daily limit', async () => {
    await fetch(`${url}/api/ai-daily`, { method: 'POST', headers: as('cid') });
    await fetch(`${url}/api/ai-daily`, { method: 'POST', headers: as('cid') });
    const res = await fetch(`${url}/api/ai-daily`, { method: 'POST', headers: as('cid') });
    const message = /^You can send up to 2 requests per day\. Try again in 24 hours\.$/;
    const body = await expectTooMany(res, message, ['ai-per-day'], 86_400);
    expect(body.instance).toBe('/api/ai-daily');
  });

  it('leaves a route with rateLimit: false alone', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${url}/health`, { headers: as('ann') });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBeNull();
    }
  });
});
