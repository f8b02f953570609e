import { setActor, setTenant } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRequests } from '../src/fastify.js';
import { lazyStore } from '../src/lazy.js';
import { withAudit } from '../src/next.js';
import { memoryStore } from '../src/stores/memory.js';
import { auditTrail } from '../src/trail.js';

const quiet = { log: false as const, shutdown: false as const };

describe('Fastify plugin', () => {
  const store = memoryStore();
  const trail = auditTrail({ store, ...quiet });
  const app = Fastify();
  let url = '';
  beforeAll(async () => {
    await app.register(requestContext);
    app.addHook('onRequest', async (req) => {
      setActor({ type: 'user', id: String(req.headers['x-user'] ?? 'anon'), roles: [] });
      setTenant('f1');
    });
    await app.register(auditRequests, {
      trail,
      exclude: [/^\/internal/],
      captureBody: { maxBytes: 64 },
    });
    app.put<{ Params: { id: string } }>('/api/docs/:id', async (req) => ({ id: req.params.id }));
    app.post('/internal/sync', async () => ({ ok: true }));
    app.get('/api/docs', async () => []);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('records mutations with route, target, status and a capped, redacted body; skips excluded paths and GETs', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(100), token: 'secret' });
    await fetch(`${url}/api/docs/d7`, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json', 'x-user': 'zoe' },
    });
    await fetch(`${url}/internal/sync`, { method: 'POST' });
    await fetch(`${url}/api/docs`);
    await trail.flush();
    const { events } = await store.query({ tenantId: 'f1' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'docs.update',
      crud: 'u',
      outcome: 'success',
      statusCode: 200,
      actor: { id: 'zoe' },
      targets: [{ type: 'docs', id: 'd7' }],
      request: { method: 'PUT', route: '/api/docs/:id' },
      metadata: { body: { truncated: true } },
    });
    expect(JSON.stringify(events[0])).not.toContain('secret');
  });
});

describe('Next wrapper', () => {
  it('records the handler outcome once, failure when it throws, nothing for GET', async () => {
    const store = memoryStore();
    const trail = auditTrail({ store, ...quiet });
    const wrap = (h: (r: Request) => Promise<Response>) =>
      withRequestContext(
        withAudit(
          async (r: Request, _ctx: { params: Promise<Record<string, string>> }) => {
            setTenant('n1');
            return h(r);
          },
          trail,
          { route: '/api/orders/[id]' },
        ),
        { route: '/api/orders/[id]' },
      );
    const ctx = { params: Promise.resolve({ id: 'o9' }) };
    await wrap(async () => new Response(null, { status: 204 }))(
      new Request('http://x/api/orders/o9', { method: 'DELETE' }),
      ctx as never,
    );
    await expect(
      wrap(async () => {
        throw new Error('db down');
      })(new Request('http://x/api/orders/o9', { method: 'PATCH' }), ctx),
    ).rejects.toThrow('db down');
    await wrap(async () => new Response('[]'))(new Request('http://x/api/orders/o9'), ctx);
    await trail.flush();
    const { events } = await store.query({ tenantId: 'n1' });
    expect(events.map((e) => [e.action, e.outcome, e.statusCode, e.targets[0]?.id]).sort()).toEqual(
      [
        ['orders.delete', 'success', 204, 'o9'],
        ['orders.update', 'failure', 500, 'o9'],
      ],
    );
  });
});

describe('lazyStore', () => {
  it('queues while the store is being created and retries a failed creation', async () => {
    let attempts = 0;
    const real = memoryStore();
    const store = lazyStore(async () => {
      attempts++;
      await new Promise((r) => setTimeout(r, 30));
      if (attempts === 1) throw new Error('not yet');
      return real;
    });
    const trail = auditTrail({
      store,
      ...quiet,
      onError: () => undefined,
      retry: { initialMs: 10, maxMs: 20 },
    });
    trail.record({ action: 'x.update', tenantId: 'lz' });
    await trail.flush();
    expect(attempts).toBe(2);
    expect((await real.query({ tenantId: 'lz' })).events).toHaveLength(1);
  });
});
