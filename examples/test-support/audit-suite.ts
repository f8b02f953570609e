import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { RunningApp } from './harness.js';

interface AuditedEvent {
  tenantId: string;
  action: string;
  outcome: string;
  statusCode?: number;
  actor: { type: string; id: string };
  source: { ip?: string; userAgent?: string };
  request: { method?: string; route?: string; requestId?: string };
  metadata: Record<string, unknown>;
}

/**
 * The audit end-to-end checks shared by the three examples: each mutation yields exactly
 * one event with the right actor, tenant, IP, user agent, outcome and request id; GETs
 * yield none; the log is admin-only and reading it is audited. `app()` returns the
 * started example.
 */
export interface AuditSuiteOptions {
  /** The client IP the app sees (Next route handlers have no socket address: undefined). */
  ip?: string;
  /** Mutations of unknown routes reach the middleware (Express, Fastify; Next answers 405 itself). */
  unrouted?: boolean;
}

export function describeAuditApp(app: () => RunningApp, options: AuditSuiteOptions = {}): void {
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  const ua = 'audit-e2e/1.0';
  const send = (method: string, path: string, requestId: string, user: string, body?: unknown) =>
    fetch(`${app().url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'user-agent': ua,
        'x-request-id': requestId,
        'x-user-id': user,
        'x-tenant-id': tenant,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const search = (query: Record<string, string>, role = 'admin') =>
    fetch(
      `${app().url}/api/audit/events?${new URLSearchParams({ tenant, limit: '100', ...query })}`,
      {
        headers: {
          'x-user-id': `root-${randomUUID().slice(0, 8)}`,
          'x-user-role': role,
          'x-tenant-id': tenant,
        },
      },
    );
  /**
   * Polls until the request's events have been written: the writer batches every 50 ms,
   * and the first batch waits for the embedded store to start (PGlite takes seconds).
   */
  const eventsOf = async (requestId: string, atLeast = 1): Promise<AuditedEvent[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await search({ requestId });
      expect(res.status).toBe(200);
      const { events } = (await res.json()) as { events: AuditedEvent[] };
      if (events.length >= atLeast || Date.now() > deadline) return events;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('records a successful mutation exactly once, with actor, tenant, IP, user agent, outcome and request id', async () => {
    const requestId = `req-${randomUUID()}`;
    const res = await send('POST', '/api/items', requestId, 'alice', {
      name: 'Lamp',
      price: 12,
      password: 'hunter2',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const events = await eventsOf(requestId);
    await new Promise((r) => setTimeout(r, 200));
    expect(await eventsOf(requestId)).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: tenant,
      action: 'items.create',
      outcome: 'success',
      statusCode: 201,
      actor: { type: 'user', id: 'alice' },
      source: options.ip ? { ip: options.ip, userAgent: ua } : { userAgent: ua },
      request: { method: 'POST', route: '/api/items', requestId },
      metadata: { body: { name: 'Lamp', price: 12, password: '[REDACTED]' } },
    });
    expect(app().output()).toContain(requestId);
  }, 30_000);

  it('records a rejected mutation as a failure with its status', async () => {
    const requestId = `req-${randomUUID()}`;
    const res = await send('POST', '/api/items', requestId, 'bob', { name: '' });
    expect(res.status).toBe(400);
    const events = await eventsOf(requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'failure',
      statusCode: 400,
      actor: { id: 'bob' },
      tenantId: tenant,
    });
  });

  it('records a write the rate limiter refused, as a failure with status 429', async () => {
    // POST /api/items allows a few writes a minute per user: write until refused
    let refused: string | undefined;
    for (let i = 0; i < 30 && !refused; i++) {
      const requestId = `req-${randomUUID()}`;
      const res = await send('POST', '/api/items', requestId, 'erin', { name: 'Cup', price: 3 });
      await res.arrayBuffer();
      if (res.status === 429) refused = requestId;
      else expect(res.status).toBe(201);
    }
    expect(refused).toBeDefined();
    const events = await eventsOf(refused as string);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: tenant,
      action: 'items.create',
      outcome: 'failure',
      statusCode: 429,
      actor: { type: 'user', id: 'erin' },
      request: { method: 'POST', route: '/api/items', requestId: refused },
    });
  }, 30_000);

  it.skipIf(!options.unrouted)(
    'records a DELETE of a missing route as one failed event',
    async () => {
      const requestId = `req-${randomUUID()}`;
      const res = await send('DELETE', '/api/items/42', requestId, 'carol');
      expect(res.status).toBeGreaterThanOrEqual(400);
      const events = await eventsOf(requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        outcome: 'failure',
        statusCode: res.status,
        request: { method: 'DELETE' },
      });
    },
  );

  it('records nothing for GET requests', async () => {
    const getId = `req-${randomUUID()}`;
    expect((await send('GET', '/api/items', getId, 'dave')).status).toBe(200);
    const barrier = `req-${randomUUID()}`;
    await send('POST', '/api/items', barrier, 'dave', { name: 'Pen', price: 1 });
    expect(await eventsOf(barrier)).toHaveLength(1);
    expect(await eventsOf(getId, 0)).toEqual([]);
  });

  it('refuses the audit log to non-admins, and audits the refusal and every read', async () => {
    const res = await search({}, 'member');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const deadline = Date.now() + 5_000;
    let actions: string[] = [];
    while (Date.now() < deadline) {
      const page = (await (await search({ action: 'audit.log.*' })).json()) as {
        events: AuditedEvent[];
      };
      actions = page.events.map((e) => `${e.action}:${e.outcome}`);
      if (
        actions.includes('audit.log.search:failure') &&
        actions.includes('audit.log.view:success')
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(actions).toEqual(
      expect.arrayContaining(['audit.log.search:failure', 'audit.log.view:success']),
    );
  });

  it("confines an admin to its own tenant's trail (403 problem+json for another tenant or all tenants); platform-admin reads any", async () => {
    const other = `t-${randomUUID().slice(0, 8)}`;
    const read = (path: string, role: string, ownTenant?: string) =>
      fetch(`${app().url}${path}`, {
        headers: {
          'x-user-id': `root-${randomUUID().slice(0, 8)}`,
          'x-user-role': role,
          ...(ownTenant && { 'x-tenant-id': ownTenant }),
        },
      });
    for (const path of [
      `/api/audit/events?tenant=${other}`,
      `/api/audit/verify?tenant=${other}`,
      `/api/audit/events?tenant=${tenant}`,
    ]) {
      const res = await read(path, 'admin', path.includes(other) ? tenant : other);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    // an admin with no tenant of its own may not search every tenant at once
    expect((await read('/api/audit/events', 'admin')).status).toBe(403);
    expect((await read(`/api/audit/events?tenant=${tenant}`, 'admin', tenant)).status).toBe(200);
    const platform = await read(`/api/audit/events?tenant=${tenant}&limit=5`, 'platform-admin');
    expect(platform.status).toBe(200);
    expect(((await platform.json()) as { events: unknown[] }).events.length).toBeGreaterThan(0);
    expect((await read(`/api/audit/verify?tenant=${tenant}`, 'platform-admin', other)).status).toBe(
      200,
    );
  });

  it('answers a malformed search cursor with 400 problem+json', async () => {
    for (const cursor of [
      'not a cursor!',
      Buffer.from('2026-01-01T00:00:00.000Z|nope').toString('base64url'),
    ]) {
      const res = await search({ cursor });
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it("verifies the tenant's hash chain", async () => {
    const res = await fetch(`${app().url}/api/audit/verify?tenant=${tenant}`, {
      headers: { 'x-user-id': 'root-verify', 'x-user-role': 'admin', 'x-tenant-id': tenant },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checked: number };
    expect(body.ok).toBe(true);
    expect(body.checked).toBeGreaterThanOrEqual(5);
  });
}
