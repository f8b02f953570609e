import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setActor, setTenant } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlags, type FlagsOf } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { expressFlags, flagAdminRouter } from '../src/express.js';
import { fastifyFlagAdmin, fastifyFlags, flagsOf } from '../src/fastify.js';
import { nextFlagAdmin, requestFlags } from '../src/next.js';

const definitions = defineFlags({
  betaReports: { type: 'boolean', default: false, kind: 'release', owner: 'reports' },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
});

const newFlags = () => createFlags({ definitions, flushOnShutdown: false });
const auth = (h: (n: string) => string | undefined) => {
  const user = h('x-user-id');
  if (user) setActor({ type: 'user', id: user, roles: [] });
  const tenant = h('x-tenant-id');
  if (tenant) setTenant(tenant);
};

/** The same admin + gated-route scenario over each binding. */
function scenario(base: () => string) {
  const as = (tenant?: string): Record<string, string> => (tenant ? { 'x-tenant-id': tenant } : {});
  const get = async (path: string, tenant?: string) =>
    fetch(`${base()}${path}`, { headers: as(tenant) });
  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${base()}/admin/flags${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        'x-user-id': 'admin-1',
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('lists and gets flags', async () => {
    for (const root of ['/', '']) {
      const res = await send('GET', root);
      expect(res.status).toBe(200);
      const list = (await res.json()) as { items: { key: string }[] };
      expect(list.items.map((f) => f.key)).toEqual(['betaReports', 'theme']);
    }
    expect(await (await send('GET', '/betaReports')).json()).toMatchObject({
      key: 'betaReports',
      enabled: true,
      version: 1,
    });
  });

  it('a tenant override applies to that tenant only; toggling globally disables it for everyone', async () => {
    expect(await (await get('/reports', 'acme')).json()).toEqual({ beta: false });
    const put = await send('PUT', '/betaReports/tenants/acme', { serve: { variant: 'on' } });
    expect(put.status).toBe(200);
    expect(await (await get('/reports', 'acme')).json()).toEqual({ beta: true });
    expect(await (await get('/reports', 'globex')).json()).toEqual({ beta: false });
    expect((await send('POST', '/betaReports/toggle', { enabled: false })).status).toBe(200);
    expect(await (await get('/reports', 'acme')).json()).toEqual({ beta: false });
    await send('POST', '/betaReports/toggle', { enabled: true });
    const history = (await (await send('GET', '/betaReports/history')).json()) as {
      items: { actor: string; diff: unknown[] }[];
    };
    expect(history.items).toHaveLength(3);
    expect(history.items[2]).toMatchObject({
      actor: 'admin-1',
      diff: [{ path: 'tenants.acme', before: null, after: { serve: { variant: 'on' } } }],
    });
    expect((await send('DELETE', '/betaReports/tenants/acme')).status).toBe(200);
    expect(await (await get('/reports', 'acme')).json()).toEqual({ beta: false });
  });

  it('rollout, create, update with a version guard, revert, delete, analytics, stale', async () => {
    expect(
      (
        await send('PUT', '/theme/rollout', {
          variants: [
            { variant: 'light', weight: 2000 },
            { variant: 'dark', weight: 8000 },
          ],
        })
      ).status,
    ).toBe(200);
    const created = await send('POST', '/', {
      key: 'extra',
      variants: { a: 1, b: 2 },
      serve: { variant: 'a' },
    });
    expect(created.status).toBe(201);
    const stale = await send('PUT', '/extra', {
      variants: { a: 1, b: 2 },
      serve: { variant: 'b' },
      expectedVersion: 7,
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const ok = await send('PUT', '/extra', {
      variants: { a: 1, b: 2 },
      serve: { variant: 'b' },
      expectedVersion: 1,
    });
    expect(await ok.json()).toMatchObject({ version: 2, serve: { variant: 'b' } });
    expect(await (await send('POST', '/extra/revert', { version: 1 })).json()).toMatchObject({
      version: 3,
      serve: { variant: 'a' },
    });
    expect((await send('DELETE', '/extra')).status).toBe(204);
    expect((await send('GET', '/extra')).status).toBe(404);
    await get('/reports', 'acme');
    const analytics = (await (await send('GET', '/-/analytics')).json()) as {
      items: { flag: string; tenant: string; count: number }[];
    };
    expect(
      analytics.items.find((r) => r.flag === 'betaReports' && r.tenant === 'acme')?.count,
    ).toBeGreaterThan(0);
    const staleReport = (await (await send('GET', '/-/stale?days=30')).json()) as {
      items: { key: string }[];
    };
    expect(Array.isArray(staleReport.items)).toBe(true);
    expect((await send('GET', '/-/stale?days=soon')).status).toBe(400);
  });

  it('bad input is a problem+json naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/betaReports/toggle', { enabled: 'yes' }, 'enabled'],
      ['PUT', '/theme/rollout', { percentage: 150 }, 'percentage'],
      ['PUT', '/theme/rollout', { variants: [{ variant: 'light', weight: 10 }] }, 'variants'],
      [
        'POST',
        '/',
        {
          key: 'x',
          rules: [
            { id: 'r', conditions: [{ operator: 'like', values: [] }], serve: { variant: 'on' } },
          ],
        },
        'rules.0.conditions.0.operator',
      ],
      ['POST', '/', { key: 'bad key' }, 'key'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await send(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain(field);
    }
    expect((await send('GET', '/nope')).status).toBe(404);
    expect((await send('GET', '/nope/x/y/z')).status).toBe(404);
  });
}

describe('Express binding', () => {
  let server: Server;
  let flags: FlagsOf<typeof definitions>;
  beforeAll(async () => {
    flags = newFlags();
    const reqFlags = expressFlags(flags);
    const app = express();
    app.use(expressContext());
    app.use((req, _res, next) => {
      auth((n) => req.get(n));
      next();
    });
    app.use(reqFlags.middleware);
    app.get('/reports', (req, res) => {
      res.json({ beta: reqFlags.of(req).isEnabled('betaReports') });
    });
    app.use('/admin/flags', express.json(), flagAdminRouter(flags));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
  });
  afterAll(async () => {
    server.close();
    await flags.close();
  });
  scenario(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

describe('Fastify binding', () => {
  let app: FastifyInstance;
  let flags: FlagsOf<typeof definitions>;
  let url = '';
  beforeAll(async () => {
    flags = newFlags();
    app = Fastify();
    await app.register(fastifyContext);
    app.addHook('onRequest', async (req) => auth((n) => req.headers[n] as string | undefined));
    await app.register(fastifyFlags, { flags });
    app.get('/reports', async (req) => ({ beta: flagsOf(req, flags).isEnabled('betaReports') }));
    await app.register(fastifyFlagAdmin(flags), { prefix: '/admin/flags' });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await flags.close();
  });
  scenario(() => url);
});

describe('Next binding (route handlers served over HTTP)', () => {
  let server: Server;
  let flags: FlagsOf<typeof definitions>;
  beforeAll(async () => {
    flags = newFlags();
    const wrap = (fn: (r: Request) => Response | Promise<Response>) =>
      withRequestContext((request: Request) => {
        auth((n) => request.headers.get(n) ?? undefined);
        return fn(request);
      });
    const reports = wrap(() =>
      Response.json({ beta: requestFlags(flags).isEnabled('betaReports') }),
    );
    const admin = wrap(nextFlagAdmin(flags, { basePath: '/admin/flags' }));
    const { createServer } = await import('node:http');
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const response = await (req.url!.startsWith('/admin/flags')
        ? admin(request)
        : reports(request));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
  });
  afterAll(async () => {
    server.close();
    await flags.close();
  });
  scenario(() => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
