import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { contextOf, honoRoute, requestContext } from '../src/hono.js';
import { getContext, jsonAnswer, type RequestContext, subpath } from '../src/index.js';
import { V7 } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function start(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
      (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`),
    );
    closers.push(() => new Promise<void>((done) => server.close(() => done())));
  });
}

describe('@platform/core/hono', () => {
  it('opens the request context: request id, client IP, route template', async () => {
    const seen: RequestContext[] = [];
    const app = new Hono();
    app.use(requestContext());
    app.get('/items/:id', async (c) => {
      const ctx = getContext() as RequestContext;
      seen.push(ctx);
      await new Promise((r) => setTimeout(r, 5));
      return c.json({
        same: getContext() === ctx && contextOf(c) === ctx,
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
    });
    const base = await start(app);
    const fresh = await fetch(`${base}/items/7`);
    const body = (await fresh.json()) as Record<string, unknown>;
    expect(body.same).toBe(true);
    expect(body.requestId).toMatch(V7);
    expect(fresh.headers.get('x-request-id')).toBe(body.requestId);
    expect(body.ip).toBe('127.0.0.1');
    expect(seen[0]?.route).toBe('/items/:id');
    const kept = await fetch(`${base}/items/8`, { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
  });

  it('mounts a neutral handler with its mount point and query', async () => {
    const app = new Hono();
    app.use(requestContext());
    app.all(
      '/admin/*',
      honoRoute(
        (req) =>
          subpath(req) === 'echo'
            ? jsonAnswer(200, {
                q: req.query.get('q'),
                base: req.base,
                requestId: req.context?.requestId,
              })
            : undefined,
        { base: '/admin' },
      ),
    );
    const base = await start(app);
    const r = await fetch(`${base}/admin/echo?q=x`);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ q: 'x', base: '/admin' });
    expect(body.requestId).toBe(r.headers.get('x-request-id'));
    const none = await fetch(`${base}/admin/other`);
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
  });
});
