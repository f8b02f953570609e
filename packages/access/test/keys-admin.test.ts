import { type AuditTrail, memoryStore as auditMemory, auditTrail } from '@platform/audit';
import { setActor } from '@platform/core';
import { requestContext as expressContext, expressRoute } from '@platform/core/express';
import { requestContext as fastifyContext, fastifyRoute } from '@platform/core/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeys, apiKeyAdmin, apiKeys, memoryKeyStore } from '../src/index.js';
import { listening } from './keys-http-support.js';

interface Served {
  url: string;
  close(): unknown;
}

/** Actor from `x-admin` (`admin` or `viewer`): the host's own login stands behind it. */
const actorOf = (header: string | undefined) => {
  if (header) setActor({ type: 'user', id: `u-${header}`, roles: [header] });
};

async function serveExpress(handler: ReturnType<typeof apiKeyAdmin>): Promise<Served> {
  const app = express();
  app.use(expressContext());
  app.use((req, _res, next) => {
    actorOf(req.get('x-admin'));
    next();
  });
  app.use('/admin/api-keys', express.json(), expressRoute(handler));
  const server = app.listen(0, '127.0.0.1');
  return { url: `${await listening(server)}/admin/api-keys`, close: () => server.close() };
}

async function serveFastify(handler: ReturnType<typeof apiKeyAdmin>): Promise<Served> {
  const app = Fastify();
  await app.register(fastifyContext);
  app.addHook('onRequest', async (req) => actorOf(req.headers['x-admin'] as string | undefined));
  const route = fastifyRoute(handler, { base: '/admin/api-keys' });
  app.all('/admin/api-keys', route);
  app.all('/admin/api-keys/*', route);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/admin/api-keys`, close: () => app.close() };
}

describe.each([
  ['Express', serveExpress],
  ['Fastify', serveFastify],
])('API key admin API on %s', (_name, serve) => {
  let keys: ApiKeys;
  let audit: AuditTrail;
  let served: Served;
  beforeAll(async () => {
    keys = apiKeys({ store: memoryKeyStore(), shutdown: false });
    audit = auditTrail({ store: auditMemory(), log: false, shutdown: false });
    const handler = apiKeyAdmin({
      keys,
      audit,
      authorize: (request) => request.context?.actor?.roles.includes('admin') ?? false,
    });
    served = await serve(handler);
  });
  afterAll(async () => {
    await served.close();
    await audit.close();
    await keys.close();
  });
  const call = (path: string, init: { method?: string; body?: unknown; as?: string } = {}) =>
    fetch(`${served.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.as ? { 'x-admin': init.as } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it('creates, lists, rotates and revokes; the key is shown once and audited never', async () => {
    const created = await call('', {
      method: 'POST',
      as: 'admin',
      body: { name: 'etl', tenantId: 'acme', scopes: ['reports:read'] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect((await keys.verify(key)).ok).toBe(true);

    const list = (await (await call('?tenantId=acme', { as: 'admin' })).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(list.keys).toEqual([expect.objectContaining({ id, name: 'etl', status: 'active' })]);
    expect(JSON.stringify(list)).not.toContain(key.slice(-43));
    expect(list.keys[0]).not.toHaveProperty('key');

    const rotated = await call(`/${id}/rotate`, {
      method: 'POST',
      as: 'admin',
      body: { graceMs: 60_000 },
    });
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as { key: string; previousValidUntil: string };
    expect(next.key).not.toBe(key);
    expect((await keys.verify(key)).ok).toBe(true);
    expect((await keys.verify(next.key)).ok).toBe(true);

    const revoked = await call(`/${id}/revoke`, { method: 'POST', as: 'admin' });
    expect(await revoked.json()).toMatchObject({ id, status: 'revoked' });
    expect((await keys.verify(next.key)).ok).toBe(false);
    expect((await call(`/${id}/rotate`, { method: 'POST', as: 'admin' })).status).toBe(409);

    await audit.flush();
    const page = await audit.search({ tenantId: 'acme', action: 'api_key.*' });
    const events = page.events.map((e) => [e.action, e.outcome, e.actor.id, e.targets[0]?.id]);
    expect(events.sort()).toEqual([
      ['api_key.create', 'success', 'u-admin', id],
      ['api_key.revoke', 'success', 'u-admin', id],
      ['api_key.rotate', 'success', 'u-admin', id],
    ]);
    const stored = JSON.stringify(page.events);
    for (const k of [key, next.key]) expect(stored).not.toContain(k.slice(-43));
  });

  it('refuses without authorization (401 anonymous, 403 viewer) and audits the refused mutation', async () => {
    expect((await call('')).status).toBe(401);
    const res = await call('', { method: 'POST', as: 'viewer', body: { name: 'x' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    await audit.flush();
    const page = await audit.search({ action: 'api_key.create', outcome: 'failure' });
    expect(page.events[0]).toMatchObject({
      actor: { id: 'u-viewer' },
      metadata: { reason: 'forbidden' },
    });
  });

  it('answers 400 naming the field for bad input, 404 for an unknown key', async () => {
    const bad = await call('', {
      method: 'POST',
      as: 'admin',
      body: { name: 'x', scopes: ['a b'] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('scopes');
    const grace = await call('/0123456789abcdef/rotate', {
      method: 'POST',
      as: 'admin',
      body: { graceMs: -1 },
    });
    expect(grace.status).toBe(400);
    expect((await call('/0123456789abcdef', { as: 'admin' })).status).toBe(404);
    expect((await call('?limit=0', { as: 'admin' })).status).toBe(400);
    expect((await call('?cursor=nope', { as: 'admin' })).status).toBe(400);
    const past = await call('', {
      method: 'POST',
      as: 'admin',
      body: { name: 'x', expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(await past.json()).toMatchObject({ status: 400, errors: [{ path: 'expiresAt' }] });
  });
});
