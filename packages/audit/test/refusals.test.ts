import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setActor, setTenant } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import { type RateLimiter, rateLimiter } from '@platform/ratelimit';
import { rateLimit as expressRateLimit } from '@platform/ratelimit/express';
import { rateLimit as fastifyRateLimit } from '@platform/ratelimit/fastify';
import { withRateLimit } from '@platform/ratelimit/next';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { auditRequests as expressAudit } from '../src/express.js';
import { auditRequests as fastifyAudit } from '../src/fastify.js';
import { withAudit } from '../src/next.js';
import { memoryStore } from '../src/stores/memory.js';
import { type AuditTrail, auditTrail } from '../src/trail.js';
import { headerAuth } from './http-support.js';

// The same app three times: authentication, then audit, then a rate limiter allowing one
// request per user per minute, then `POST /api/items` answering 201 and `GET /api/items`.

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function limiter(): RateLimiter {
  return rateLimiter({
    name: 'api',
    policies: { name: 'per-user', limit: 1, window: '1m', by: 'user' },
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function expressApp(trail: AuditTrail): Promise<string> {
  const app = express();
  app.use(expressContext());
  app.use(headerAuth());
  app.use(expressAudit(trail));
  app.use('/api', expressRateLimit(limiter()));
  app.post('/api/items', (_req, res) => {
    res.status(201).json({ id: 'i1' });
  });
  app.get('/api/items', (_req, res) => {
    res.json([]);
  });
  return listen(createServer(app));
}

async function fastifyApp(trail: AuditTrail): Promise<string> {
  const app = Fastify();
  await app.register(fastifyContext);
  app.addHook('onRequest', async (req) => {
    const user = req.headers['x-user'] as string | undefined;
    if (user) setActor({ type: 'user', id: user, roles: [] });
    setTenant(req.headers['x-tenant'] as string | undefined);
  });
  await app.register(fastifyAudit, { trail });
  await app.register(fastifyRateLimit, { limiters: limiter() });
  app.post('/api/items', async (_req, reply) => reply.code(201).send({ id: 'i1' }));
  app.get('/api/items', async () => []);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return url;
}

type FetchHandler = (request: Request) => Promise<Response>;

/** Next's route handlers, composed as examples/next/lib/route.ts does, behind a Node server. */
async function fetchApp(trail: AuditTrail): Promise<string> {
  const api = limiter();
  const route = (handler: FetchHandler): FetchHandler => {
    const audited = withAudit(withRateLimit(handler, api, { route: '/api/items' }), trail, {
      route: '/api/items',
    });
    const authed: FetchHandler = (request) => {
      const user = request.headers.get('x-user');
      if (user) setActor({ type: 'user', id: user, roles: [] });
      setTenant(request.headers.get('x-tenant') ?? undefined);
      return audited(request);
    };
    return withRequestContext(authed, { route: '/api/items' });
  };
  const POST = route(async () => Response.json({ id: 'i1' }, { status: 201 }));
  const GET = route(async () => Response.json([]));
  return listen(
    createServer((req, res) => serveFetch(req, res, req.method === 'POST' ? POST : GET)),
  );
}

async function serveFetch(req: IncomingMessage, res: ServerResponse, handler: FetchHandler) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const response = await handler(
    new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const frameworks = [
  ['Express', expressApp],
  ['Fastify', fastifyApp],
  ['Next (Fetch handler)', fetchApp],
] as const;

describe('a mutation the rate limiter refused', () => {
  it.each(frameworks)('is recorded with its status and outcome on %s', async (name, build) => {
    const store = memoryStore();
    const trail = auditTrail({ store, log: false, shutdown: false });
    closers.push(() => trail.close());
    const url = await build(trail);
    const as = { 'x-user': 'zoe', 'x-tenant': 'refusals' };
    const statuses: number[] = [];
    for (const method of ['POST', 'POST', 'GET']) {
      const res = await fetch(`${url}/api/items`, { method, headers: as });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses, name).toEqual([201, 429, 429]);
    await trail.flush();
    const { events } = await store.query({ tenantId: 'refusals' });
    const seen = events
      .map((e) => ({
        action: e.action,
        crud: e.crud,
        outcome: e.outcome,
        statusCode: e.statusCode,
        reason: e.reason,
        actor: e.actor.id,
        method: e.request.method,
        route: e.request.route,
        requestId: typeof e.request.requestId,
      }))
      .sort((a, b) => (a.statusCode ?? 0) - (b.statusCode ?? 0));
    const base = {
      action: 'items.create',
      crud: 'c',
      actor: 'zoe',
      method: 'POST',
      route: '/api/items',
      requestId: 'string',
    };
    expect(seen, name).toEqual([
      { ...base, outcome: 'success', statusCode: 201, reason: undefined },
      { ...base, outcome: 'failure', statusCode: 429, reason: 'HTTP 429' },
    ]);
  });
});
