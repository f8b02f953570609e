import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRequests, auditRoute } from '../src/express.js';
import { auditHandlers } from '../src/handlers.js';
import type { AuditStore } from '../src/store.js';
import { memoryStore } from '../src/stores/memory.js';
import { type AuditTrail, auditTrail } from '../src/trail.js';
import { headerAuth } from './http-support.js';
import { isolatedSchema } from './pg-support.js';

/** An Express app recording every mutation into `trail`, with the three admin reads. */
async function serve(trail: AuditTrail, flushTimeoutMs?: number) {
  const handlers = auditHandlers({
    trail,
    authorize: ({ context }) => context?.actor?.roles.includes('admin') ?? false,
    ...(flushTimeoutMs !== undefined && { flushTimeoutMs }),
  });
  const app = express();
  app.use(requestContext());
  app.use(headerAuth());
  app.use(auditRequests(trail, { exclude: ['/audit'] }));
  app.post('/api/items', (_req, res) => {
    res.status(201).json({ id: '1' });
  });
  app.get('/audit/events', auditRoute(handlers.search));
  app.get('/audit/export', auditRoute(handlers.export));
  app.get('/audit/verify', auditRoute(handlers.verify));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => server.close(r)) };
}

const admin = { 'x-user': 'root', 'x-roles': 'admin', 'x-tenant': 'acme' };

describe('reads see the writes made just before them', () => {
  let db: Awaited<ReturnType<typeof isolatedSchema>>;
  let trail: AuditTrail;
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    db = await isolatedSchema('audit_ryw');
    // a timer far away: without a flush before the read, nothing would be stored yet
    trail = auditTrail({
      store: db.store,
      log: false,
      shutdown: false,
      queue: { flushIntervalMs: 60_000 },
    });
    app = await serve(trail);
  });
  afterAll(async () => {
    await app.close();
    await trail.close();
    await db.drop();
  });

  it('search, export and verify include a write answered a moment before', async () => {
    const write = await fetch(`${app.url}/api/items`, {
      method: 'POST',
      headers: { 'x-user': 'alice', 'x-tenant': 'acme' },
    });
    expect(write.status).toBe(201);

    const search = await fetch(`${app.url}/audit/events`, { headers: admin });
    expect(search.status).toBe(200);
    const page = (await search.json()) as { events: { action: string; actor: { id: string } }[] };
    expect(page.events).toEqual([
      expect.objectContaining({
        action: 'items.create',
        actor: expect.objectContaining({ id: 'alice' }),
      }),
    ]);

    await fetch(`${app.url}/api/items`, {
      method: 'POST',
      headers: { 'x-user': 'bob', 'x-tenant': 'acme' },
    });
    const verify = await fetch(`${app.url}/audit/verify?tenant=acme`, { headers: admin });
    const result = (await verify.json()) as { ok: boolean; checked: number };
    expect(result.ok).toBe(true);
    // items.create by alice, the search's own audit.log.view, items.create by bob
    expect(result.checked).toBe(3);

    await fetch(`${app.url}/api/items`, {
      method: 'POST',
      headers: { 'x-user': 'carol', 'x-tenant': 'acme' },
    });
    const exported = await (
      await fetch(`${app.url}/audit/export?tenant=acme`, { headers: admin })
    ).text();
    expect(exported).toContain('"carol"');
  });
});

describe('the wait before a read is bounded', () => {
  it('answers with what is stored when the store does not take the write in time', async () => {
    const memory = memoryStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // a store whose writes hang until released (a database that stopped answering)
    const stalled: AuditStore = {
      ...memory,
      append: async (batch) => {
        await gate;
        return memory.append(batch);
      },
    };
    const trail = auditTrail({
      store: stalled,
      log: false,
      shutdown: false,
      queue: { flushIntervalMs: 60_000 },
    });
    const app = await serve(trail, 300);
    try {
      await fetch(`${app.url}/api/items`, {
        method: 'POST',
        headers: { 'x-user': 'alice', 'x-tenant': 'acme' },
      });
      const started = performance.now();
      const search = await fetch(`${app.url}/audit/events`, { headers: admin });
      const waited = performance.now() - started;
      expect(search.status).toBe(200);
      expect(((await search.json()) as { events: unknown[] }).events).toEqual([]);
      expect(waited).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(2_000);
    } finally {
      release();
      await app.close();
      await trail.close();
    }
  });
});
