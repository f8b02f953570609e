import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { setActor } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { rateLimit as expressRateLimit } from '../src/express.js';
import { rateLimit as fastifyRateLimit } from '../src/fastify.js';
import { rateLimit as honoRateLimit } from '../src/hono.js';
import { memoryStore, type RateLimiter, rateLimiter } from '../src/index.js';
import { withRateLimit } from '../src/next.js';
import { listening } from './http-support.js';

/** 2 per minute per user; the third request blocks the user for exactly an hour. */
const limiter = () =>
  rateLimiter({
    name: 'same',
    policies: { name: 'per-user', limit: 2, window: '1m', by: 'user', blockDuration: '1h' },
    store: memoryStore(),
    legacyHeaders: true,
    log: false,
  });

const user = (id: string | undefined) => {
  if (id) setActor({ type: 'user', id, roles: [] });
};

async function onNode(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  server.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const frameworks: Record<
  string,
  (l: RateLimiter) => Promise<{ url: string; close(): Promise<void> }>
> = {
  async express(l) {
    const app = express();
    app.use(expressContext());
    app.use((req, _res, next) => {
      user(req.header('x-user'));
      next();
    });
    app.get('/api/items', expressRateLimit(l), (_req, res) => {
      res.json({ ok: true });
    });
    return onNode(app.listen(0, '127.0.0.1'));
  },
  async fastify(l) {
    const app = Fastify();
    await app.register(fastifyContext);
    app.addHook('onRequest', async (req) => user(req.headers['x-user'] as string | undefined));
    await app.register(fastifyRateLimit);
    app.get('/api/items', { config: { rateLimit: l } }, async () => ({ ok: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  async next(l) {
    const handler = withRateLimit(() => Response.json({ ok: true }), l, { route: '/api/items' });
    const fetch = withRequestContext((request: Request) => {
      user(request.headers.get('x-user') ?? undefined);
      return handler(request);
    });
    return onNode(createAdaptorServer({ fetch }) as Server);
  },
  async hono(l) {
    const app = new Hono();
    app.use(async (c, next) => {
      user(c.req.header('x-user'));
      await next();
    });
    app.get('/api/items', honoRateLimit(l, { route: '/api/items' }), (c) => c.json({ ok: true }));
    const fetch = withRequestContext((request: Request) => app.fetch(request));
    return onNode(createAdaptorServer({ fetch }) as Server);
  },
};

/** What must not differ between frameworks: status, the limit headers, the problem body. */
async function refusal(url: string, method: 'GET' | 'HEAD') {
  const headers = { 'x-user': `user-${method}` };
  for (let i = 0; i < 2; i++) await fetch(`${url}/api/items`, { headers });
  const res = await fetch(`${url}/api/items`, { method, headers });
  const text = await res.text();
  const body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  if (body) {
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    body.requestId = '(the request id)';
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    policy: res.headers.get('ratelimit-policy'),
    limit: res.headers.get('ratelimit'),
    legacy: res.headers.get('x-ratelimit-limit'),
    remaining: res.headers.get('x-ratelimit-remaining'),
    body,
  };
}

describe('the same refusal on Express, Fastify, Next and Hono', () => {
  const seen: Record<string, unknown> = {};
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it.each(Object.keys(frameworks))('%s', async (name) => {
    const server = await (frameworks[name] as (l: RateLimiter) => ReturnType<typeof onNode>)(
      limiter(),
    );
    servers.push(server);
    seen[name] = { get: await refusal(server.url, 'GET'), head: await refusal(server.url, 'HEAD') };
  });

  it('answers identically on all four', () => {
    expect(Object.keys(seen)).toEqual(['express', 'fastify', 'next', 'hono']);
    const express = seen.express as { get: Awaited<ReturnType<typeof refusal>> };
    expect(express.get).toMatchObject({
      status: 429,
      contentType: 'application/problem+json',
      retryAfter: '3600',
      policy: '"per-user";q=2;w=60',
      limit: '"per-user";r=0;t=3600',
      legacy: '2',
      remaining: '0',
      body: {
        type: 'about:blank',
        title: 'Too many requests',
        status: 429,
        detail: 'You can send up to 2 requests per minute. Try again in 1 hour.',
        instance: '/api/items',
        code: 'rate_limit',
        retryAfter: 3600,
        'violated-policies': ['per-user'],
      },
    });
    for (const name of ['fastify', 'next', 'hono']) expect(seen[name]).toEqual(seen.express);
  });
});
