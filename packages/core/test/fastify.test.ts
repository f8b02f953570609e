import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { getContext, type RequestContext, setActor } from '@platform/core';
import { type RequestContextOptions, requestContext } from '@platform/core/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V7 } from './helpers.js';

interface Seen {
  onRequest?: string;
  preValidation?: string;
  preHandler?: string;
  handler?: RequestContext;
  decorated: boolean;
  body?: unknown;
}

async function app(options?: RequestContextOptions, host = '127.0.0.1') {
  const a = Fastify();
  await a.register(requestContext, options ?? {});
  const seen = new WeakMap<object, Omit<Seen, 'handler' | 'decorated' | 'body'>>();
  a.addHook('onRequest', async (req) => {
    seen.set(req, { onRequest: getContext()?.requestId });
  });
  a.addHook('preValidation', async (req) => {
    await sleep(1);
    const s = seen.get(req);
    if (s) s.preValidation = getContext()?.requestId;
  });
  a.addHook('preHandler', async (req) => {
    await tick();
    const s = seen.get(req);
    if (s) s.preHandler = getContext()?.requestId;
    setActor({ type: 'apiKey', id: 'key-1', roles: ['writer'] });
  });
  const reply = (req: { body?: unknown; platformContext?: RequestContext }) => {
    const ctx = getContext();
    return {
      ...seen.get(req),
      handler: ctx,
      decorated: req.platformContext === ctx,
      body: req.body,
    } satisfies Seen;
  };
  a.get('/items/:id', async (req) => {
    await sleep(2);
    await tick();
    return reply(req);
  });
  a.post('/items/:id', async (req) => {
    await sleep(1);
    return reply(req);
  });
  a.get('/fail', async () => {
    await sleep(1);
    throw new Error('route failed');
  });
  a.setErrorHandler(async (err: Error, _req, res) => {
    res.status(500);
    return { error: err.message, requestId: getContext()?.requestId };
  });
  a.setNotFoundHandler(async (_req, res) => {
    res.status(404);
    return { requestId: getContext()?.requestId, route: getContext()?.route ?? null };
  });
  await a.listen({ host, port: 0 });
  const { port } = a.server.address() as AddressInfo;
  return { app: a, base: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  return { res, seen: (await res.json()) as Seen };
}

/** POSTs JSON in two chunks a few milliseconds apart, so the body arrives after onRequest. */
function postInChunks(base: string, path: string, body: unknown, headers = {}) {
  const text = JSON.stringify(body);
  const cut = Math.floor(text.length / 2);
  const url = new URL(base + path);
  return new Promise<{ status: number; id: string | undefined; seen: Seen }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': text.length, ...headers },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            id: res.headers['x-request-id'] as string | undefined,
            seen: JSON.parse(data) as Seen,
          }),
        );
      },
    );
    req.on('error', reject);
    req.write(text.slice(0, cut));
    setTimeout(() => req.end(text.slice(cut)), 20);
  });
}

describe('Fastify plugin', () => {
  let server: { app: FastifyInstance; base: string };
  beforeAll(async () => {
    server = await app();
  });
  afterAll(() => server.app.close());

  it('exposes the context in hooks and the async handler, with the route template', async () => {
    const { res, seen } = await get(server.base, '/items/7?x=1', { 'User-Agent': 'it/1' });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(V7);
    expect(seen).toMatchObject({ onRequest: id, preValidation: id, preHandler: id });
    expect(seen.decorated).toBe(true);
    expect(seen.handler).toMatchObject({
      requestId: id,
      method: 'GET',
      path: '/items/7',
      route: '/items/:id',
      ip: '127.0.0.1',
      userAgent: 'it/1',
      actor: { type: 'apiKey', id: 'key-1', roles: ['writer'] },
    });
  });

  it('keeps the context through JSON body parsing, in preValidation, preHandler and handler', async () => {
    const body = { name: 'widget', tags: Array.from({ length: 5000 }, (_, i) => `t${i}`) };
    const { status, id, seen } = await postInChunks(server.base, '/items/9', body, {
      'X-Request-ID': 'post-9',
    });
    expect(status).toBe(200);
    expect(id).toBe('post-9');
    expect(seen).toMatchObject({
      onRequest: 'post-9',
      preValidation: 'post-9',
      preHandler: 'post-9',
      decorated: true,
    });
    expect(seen.handler).toMatchObject({
      requestId: 'post-9',
      method: 'POST',
      route: '/items/:id',
    });
    expect((seen.body as typeof body).tags).toHaveLength(5000);
  });

  it('keeps 30 concurrent body-parsing requests apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postInChunks(server.base, `/items/${i}`, { i }, { 'X-Request-ID': `c-${i}` }),
      ),
    );
    results.forEach(({ id, seen }, i) => {
      expect(id).toBe(`c-${i}`);
      expect([seen.preValidation, seen.preHandler, seen.handler?.requestId]).toEqual(
        Array(3).fill(`c-${i}`),
      );
      expect(seen.body).toEqual({ i });
    });
  });

  it('echoes a valid id, accepts the alias, and replaces hostile ids', async () => {
    expect(
      (await get(server.base, '/items/1', { 'X-Request-ID': 'ok-1' })).seen.handler?.requestId,
    ).toBe('ok-1');
    const alias = await get(server.base, '/items/1', { 'X-Correlation-ID': 'corr-1' });
    expect(alias.res.headers.get('x-request-id')).toBe('corr-1');
    for (const hostile of ['a'.repeat(10_240), 'a b', 'h\u00e9llo', '"quoted"']) {
      const { res, seen } = await get(server.base, '/items/1', { 'X-Request-ID': hostile });
      expect(res.headers.get('x-request-id')).toMatch(V7);
      expect(seen.handler?.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  it('keeps the context in the error handler and the not-found handler', async () => {
    const fail = await fetch(`${server.base}/fail`, { headers: { 'X-Request-ID': 'f-1' } });
    expect(fail.status).toBe(500);
    expect(fail.headers.get('x-request-id')).toBe('f-1');
    expect(await fail.json()).toEqual({ error: 'route failed', requestId: 'f-1' });
    const missing = await fetch(`${server.base}/nowhere`, { headers: { 'X-Request-ID': 'n-1' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('n-1');
    expect(await missing.json()).toEqual({ requestId: 'n-1', route: null });
  });

  it('ignores X-Forwarded-For without trusted proxies', async () => {
    const { seen } = await get(server.base, '/items/1', { 'X-Forwarded-For': '198.51.100.7' });
    expect(seen.handler?.ip).toBe('127.0.0.1');
  });
});

describe('Fastify plugin with options', () => {
  const apps: FastifyInstance[] = [];
  const start = async (options: RequestContextOptions, host?: string) => {
    const s = await app(options, host);
    apps.push(s.app);
    return s.base;
  };
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('counts X-Forwarded-For through a trusted CIDR', async () => {
    const base = await start({ trustProxy: ['127.0.0.0/8'] });
    const chain = { 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' };
    expect((await get(base, '/items/1', chain)).seen.handler?.ip).toBe('198.51.100.7');
  });

  it('reads the Forwarded header when configured', async () => {
    const base = await start({ trustProxy: 1, proxyHeader: 'forwarded' });
    const headers = { Forwarded: 'for="[2001:db8::17]:4711";proto=https' };
    expect((await get(base, '/items/1', headers)).seen.handler?.ip).toBe('2001:db8::17');
  });

  it('reports ::1 for a client of an [::1] listener', async () => {
    const base = await start({}, '::1');
    expect((await get(base, '/items/1')).seen.handler?.ip).toBe('::1');
  });

  it('waits for an async tenant resolver and keeps the context after it', async () => {
    const base = await start({
      resolveTenant: async (ex) => {
        await sleep(1);
        return ex.header('x-tenant-id');
      },
    });
    const { seen } = await postInChunks(base, '/items/1', { a: 1 }, { 'X-Tenant-ID': 'acme' });
    expect(seen.handler?.tenantId).toBe('acme');
    expect(seen.preValidation).toBe(seen.handler?.requestId);
  });

  it('rejects bad options when registered', async () => {
    const a = Fastify();
    await expect(a.register(requestContext, { trustProxy: -1 })).rejects.toThrow(/trustProxy/);
    await a.close();
  });
});
