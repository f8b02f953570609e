import { createServer, type Server } from 'node:http';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { getContext, type RequestContext, setActor } from '@platform/core';
import { contextOf, type RequestContextOptions, requestContext } from '@platform/core/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, listen, V7 } from './helpers.js';

interface Seen {
  ctx: RequestContext | undefined;
  same: boolean;
  body?: unknown;
}

function app(options?: RequestContextOptions) {
  const a = express();
  a.use(requestContext(options));
  a.use(express.json());
  a.get('/items/:id', async (req, res) => {
    await sleep(2);
    await tick();
    setActor({ type: 'user', id: `u-${req.params.id}`, roles: [] });
    await Promise.resolve();
    const ctx = getContext();
    res.json({ ctx, same: ctx === contextOf(req) } satisfies Seen);
  });
  a.post('/items', async (req, res) => {
    await sleep(1);
    res.json({ ctx: getContext(), same: getContext() === contextOf(req), body: req.body });
  });
  a.get('/fail', async () => {
    await sleep(1);
    throw new Error('route failed');
  });
  a.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: err.message, requestId: getContext()?.requestId });
  });
  return createServer(a);
}

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  return { res, seen: (await res.json()) as Seen };
}

describe('Express binding', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = app();
    base = await listen(server);
  });
  afterAll(() => close(server));

  it('reports the matched route template once Express has routed the request', async () => {
    const { seen } = await get(base, '/items/42');
    expect(seen.ctx?.route).toBe('/items/:id');
  });

  it('exposes the context inside an async handler after awaits', async () => {
    const { res, seen } = await get(base, '/items/7?expand=1', { 'User-Agent': 'it/1' });
    expect(res.status).toBe(200);
    expect(seen.same).toBe(true);
    expect(seen.ctx).toMatchObject({
      method: 'GET',
      path: '/items/7',
      ip: '127.0.0.1',
      userAgent: 'it/1',
      actor: { type: 'user', id: 'u-7', roles: [] },
    });
    expect(seen.ctx?.requestId).toMatch(V7);
    expect(res.headers.get('x-request-id')).toBe(seen.ctx?.requestId);
  });

  it('echoes a valid X-Request-ID and accepts X-Correlation-ID', async () => {
    const a = await get(base, '/items/1', { 'X-Request-ID': 'lb-7f3a.1:2' });
    expect(a.res.headers.get('x-request-id')).toBe('lb-7f3a.1:2');
    expect(a.seen.ctx?.requestId).toBe('lb-7f3a.1:2');
    const b = await get(base, '/items/1', { 'X-Correlation-ID': 'corr-1' });
    expect(b.res.headers.get('x-request-id')).toBe('corr-1');
  });

  it.each([
    ['10 kB', 'a'.repeat(10_240)],
    ['129 characters', 'b'.repeat(129)],
    ['spaces', 'a b c'],
    ['latin-1', 'h\u00e9llo'],
    ['markup', '<img src=x onerror=alert(1)>'],
  ])('replaces a hostile id (%s)', async (_, hostile) => {
    const { res, seen } = await get(base, '/items/1', { 'X-Request-ID': hostile });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(V7);
    expect(seen.ctx?.requestId).toBe(id);
  });

  it('keeps the context through express.json() body parsing', async () => {
    const res = await fetch(`${base}/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-ID': 'post-1' },
      body: JSON.stringify({ name: 'widget', tags: Array(2000).fill('t') }),
    });
    const seen = (await res.json()) as Seen & { body: { name: string } };
    expect(seen.ctx?.requestId).toBe('post-1');
    expect(seen.same).toBe(true);
    expect(seen.body.name).toBe('widget');
  });

  it('keeps the context in the error handler', async () => {
    const res = await fetch(`${base}/fail`, { headers: { 'X-Request-ID': 'fail-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('fail-1');
    expect(await res.json()).toEqual({ error: 'route failed', requestId: 'fail-1' });
  });

  it('echoes the id on a 404 from Express itself', async () => {
    const res = await fetch(`${base}/nowhere`, { headers: { 'X-Request-ID': 'nf-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('nf-1');
  });

  it('keeps 50 concurrent requests apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        get(base, `/items/${i}`, { 'X-Request-ID': `c-${i}` }).then(({ seen }) => seen.ctx),
      ),
    );
    results.forEach((ctx, i) => {
      expect(ctx).toMatchObject({ requestId: `c-${i}`, actor: { id: `u-${i}` } });
    });
  });

  it('ignores X-Forwarded-For without trusted proxies', async () => {
    const { seen } = await get(base, '/items/1', { 'X-Forwarded-For': '198.51.100.7' });
    expect(seen.ctx?.ip).toBe('127.0.0.1');
  });
});

describe('Express binding with options', () => {
  const servers: Server[] = [];
  const start = async (options: RequestContextOptions, host?: string) => {
    const s = app(options);
    servers.push(s);
    return listen(s, host);
  };
  afterAll(async () => {
    await Promise.all(servers.map(close));
  });

  it('counts X-Forwarded-For when the socket is inside a trusted CIDR', async () => {
    const base = await start({ trustProxy: ['127.0.0.0/8'] });
    const chain = { 'X-Forwarded-For': '6.6.6.6, 198.51.100.7, 127.0.0.2' };
    expect((await get(base, '/items/1', chain)).seen.ctx?.ip).toBe('198.51.100.7');
    const ipv6 = { 'X-Forwarded-For': '[2001:DB8::0:1]:4711' };
    expect((await get(base, '/items/1', ipv6)).seen.ctx?.ip).toBe('2001:db8::1');
  });

  it('resolves the real client behind a trusted proxy from a padded X-Forwarded-For over 8 KiB', async () => {
    const base = await start({ trustProxy: ['loopback'] });
    // what a proxy forwards when a client pads the header: 2,000 of its own entries, then its address
    const xff = `${'1.1.1.1,'.repeat(2000)}198.51.100.7`;
    expect(xff.length).toBeGreaterThan(8192);
    const { res, seen } = await get(base, '/items/1', { 'X-Forwarded-For': xff });
    expect(res.status).toBe(200);
    expect(seen.ctx?.ip).toBe('198.51.100.7');
  });

  it('does not count X-Forwarded-For when the socket is outside the trusted CIDR', async () => {
    const base = await start({ trustProxy: ['10.0.0.0/8'] });
    const { seen } = await get(base, '/items/1', { 'X-Forwarded-For': '198.51.100.7' });
    expect(seen.ctx?.ip).toBe('127.0.0.1');
  });

  it('reports ::1 for a client of an [::1] listener', async () => {
    const base = await start({}, '::1');
    expect((await get(base, '/items/1')).seen.ctx?.ip).toBe('::1');
  });

  it('normalizes the IPv4-mapped socket address of a dual-stack listener', async () => {
    const base = await start({}, '::');
    const port = new URL(base).port;
    expect((await get(`http://127.0.0.1:${port}`, '/items/1')).seen.ctx?.ip).toBe('127.0.0.1');
  });

  it('waits for an async tenant resolver', async () => {
    const base = await start({
      resolveTenant: async (ex) => {
        await sleep(1);
        return ex.header('x-tenant-id');
      },
    });
    const ok = await get(base, '/items/1', { 'X-Tenant-ID': 'acme' });
    expect(ok.seen.ctx?.tenantId).toBe('acme');
    const bad = await get(base, '/items/1', { 'X-Tenant-ID': 'acme corp' });
    expect(bad.res.status).toBe(200);
    expect(bad.seen.ctx?.tenantId).toBeUndefined();
  });

  it('throws a ConfigError when the middleware is created with bad options', () => {
    expect(() => requestContext({ trustProxy: ['10.0.0.0/33'] })).toThrow(/trustProxy\.0/);
  });
});
