import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningApp } from './harness.js';

/**
 * End-to-end suite for @platform/flags in an example app: GET /api/reports is gated by
 * `betaReports` (on for tenant acme through a tenant override), and the admin API at
 * /api/admin/flags changes it in the store while the app runs.
 */
export function describeFlagsExample(
  start: () => Promise<RunningApp>,
  stop: () => Promise<void>,
): void {
  let app: RunningApp;
  beforeAll(async () => {
    app = await start();
  }, 120_000);
  afterAll(stop);

  const reports = (tenant?: string) =>
    fetch(`${app.url}/api/reports`, { headers: tenant ? { 'x-tenant-id': tenant } : {} });
  const admin = (method: string, path: string, body?: unknown, role = 'admin') =>
    fetch(`${app.url}/api/admin/flags${path}`, {
      method,
      headers: {
        'x-user-id': 'ops-1',
        'x-user-role': role,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('serves the gated route to the overridden tenant only', async () => {
    const acme = await reports('acme');
    expect(acme.status).toBe(200);
    expect(await acme.json()).toMatchObject({ tenantId: 'acme', reports: [{ id: 'r1' }] });
    const globex = await reports('globex');
    expect(globex.status).toBe(404);
    expect(globex.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await reports()).status).toBe(404);
  });

  it('flips the flag through the store and the change shows over HTTP', async () => {
    const off = await admin('POST', '/betaReports/toggle', { enabled: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ key: 'betaReports', enabled: false });
    expect((await reports('acme')).status).toBe(404);

    expect((await admin('POST', '/betaReports/toggle', { enabled: true })).status).toBe(200);
    expect((await reports('acme')).status).toBe(200);

    const globex = await admin('PUT', '/betaReports/tenants/globex', { serve: { variant: 'on' } });
    expect(globex.status).toBe(200);
    expect((await reports('globex')).status).toBe(200);
    expect((await admin('DELETE', '/betaReports/tenants/globex')).status).toBe(200);
    expect((await reports('globex')).status).toBe(404);

    const history = (await (await admin('GET', '/betaReports/history')).json()) as {
      items: { actor: string; action: string }[];
    };
    expect(history.items.slice(0, 4).map((h) => h.actor)).toEqual([
      'ops-1',
      'ops-1',
      'ops-1',
      'ops-1',
    ]);
  });

  it('hands each flag change to the audit trail with before/after and the admin as actor', async () => {
    type Found = {
      events: {
        action: string;
        actor: { id: string };
        targets: { id: string }[];
        changes?: { before: { enabled?: boolean }; after: { enabled?: boolean } };
        request: { requestId?: string };
      }[];
    };
    const toggled = await admin('POST', '/betaReports/toggle', { enabled: false });
    const requestId = toggled.headers.get('x-request-id');
    await admin('POST', '/betaReports/toggle', { enabled: true });
    let found: Found['events'] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      const res = await fetch(
        `${app.url}/api/audit/events?${new URLSearchParams({ action: 'flag.update', limit: '100' })}`,
        { headers: { 'x-user-id': 'auditor-1', 'x-user-role': 'platform-admin' } },
      );
      expect(res.status).toBe(200);
      found = ((await res.json()) as Found).events.filter((e) => e.request.requestId === requestId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      action: 'flag.update',
      actor: { id: 'ops-1' },
      targets: [{ id: 'betaReports' }],
      changes: { before: { enabled: true }, after: { enabled: false } },
    });
  });

  it('refuses the admin API without the admin role and rejects bad input with problem+json', async () => {
    const denied = await admin('POST', '/betaReports/toggle', { enabled: false }, 'viewer');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await reports('acme')).status).toBe(200);
    const bad = await admin('PUT', '/betaReports/rollout', { percentage: 101 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe(
      'percentage',
    );
  });
}
