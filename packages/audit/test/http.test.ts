import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportManifest, exportVerifier } from '../src/export.js';
import { auditRequests, auditRoute } from '../src/express.js';
import { auditHandlers } from '../src/handlers.js';
import { auditTrail } from '../src/trail.js';
import { headerAuth } from './http-support.js';
import { isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
let url: string;
let server: import('node:http').Server;
let trail: ReturnType<typeof auditTrail>;
let handlers: ReturnType<typeof auditHandlers>;

beforeAll(async () => {
  db = await isolatedSchema();
  trail = auditTrail({ store: db.store, log: false, shutdown: false });
  handlers = auditHandlers({
    trail,
    authorize: ({ context }) => context?.actor?.roles.includes('auditor') ?? false,
  });
  const app = express();
  app.use(requestContext());
  app.use(headerAuth());
  app.use(auditRequests(trail, { exclude: ['/audit'] }));
  app.use(express.json());
  app.post('/api/invoices/:id/pay', (_req, res) => {
    res.status(204).end();
  });
  app.delete('/api/invoices/:id', (_req, res) => {
    res.status(409).json({ error: 'paid' });
  });
  app.get('/audit/events', auditRoute(handlers.search));
  app.get('/audit/export', auditRoute(handlers.export));
  app.get('/audit/verify', auditRoute(handlers.verify));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await trail.close();
  await db.drop();
});

const auditor = { 'x-user': 'ann', 'x-roles': 'auditor', 'x-tenant': 'acme' };
const get = async (path: string, headers: Record<string, string> = auditor) =>
  fetch(`${url}${path}`, { headers });

describe('HTTP handlers over PostgreSQL', () => {
  beforeAll(async () => {
    for (let i = 0; i < 30; i++) {
      const headers = { 'x-user': i % 2 ? 'ann' : 'ben', 'x-tenant': 'acme' };
      await fetch(`${url}/api/invoices/inv${i}${i % 3 ? '/pay' : ''}`, {
        method: i % 3 ? 'POST' : 'DELETE',
        headers,
      });
    }
    await trail.flush();
  });

  it('derives action, targets and outcome from the route and status', async () => {
    const page = (await (await get('/audit/events?targetId=inv3')).json()) as {
      events: { action: string; outcome: string; statusCode: number; targets: unknown[] }[];
    };
    expect(page.events).toEqual([
      expect.objectContaining({
        action: 'invoices.delete',
        outcome: 'failure',
        statusCode: 409,
        targets: [{ type: 'invoices', id: 'inv3' }],
      }),
    ]);
  });

  it('filters and pages newest first with a keyset cursor', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 5; i++) {
      const res = await get(
        `/audit/events?actor=ben&action=invoices.*&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        events: { id: string; actor: { id: string } }[];
        nextCursor?: string;
      };
      seen.push(...page.events.map((e) => e.id));
      expect(page.events.every((e) => e.actor.id === 'ben')).toBe(true);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    const failures = (await (await get('/audit/events?outcome=failure&limit=100')).json()) as {
      events: unknown[];
    };
    expect(failures.events).toHaveLength(10);
  });

  it('rejects bad queries with problem+json naming the field, and non-auditors with 403', async () => {
    const bad = await get('/audit/events?outcome=maybe');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(JSON.stringify(await bad.json())).toContain('outcome');
    expect((await get('/audit/events', { 'x-user': 'ben', 'x-tenant': 'acme' })).status).toBe(403);
    expect((await get('/audit/export?tenant=acme', { 'x-user': 'ben' })).status).toBe(403);
  });

  it('answers a malformed cursor with 400 problem+json, never a 500', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const cursor of [
      'not a cursor!',
      'AAAA',
      b64('yesterday|x'),
      b64(`${new Date().toISOString()}|not-a-uuid`),
      b64(`${new Date().toISOString()}|00000000-0000-7000-8000-000000000000|extra`),
      b64('2026-13-45T99:99:99.000Z|00000000-0000-7000-8000-000000000000'),
    ]) {
      const res = await get(`/audit/events?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 400, errors: [{ path: 'cursor' }] });
    }
  });

  it('streams an export whose manifest arrives as a trailer and verifies offline', async () => {
    const { body, trailers } = await new Promise<{ body: string; trailers: NodeJS.Dict<string> }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${url}/audit/export?tenant=acme&format=ndjson`,
          { headers: auditor },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ body: text, trailers: res.trailers }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    const manifest = JSON.parse(
      Buffer.from(trailers['x-audit-manifest'] as string, 'base64').toString(),
    ) as ExportManifest;
    expect(manifest.count).toBeGreaterThanOrEqual(30);
    const v = exportVerifier('ndjson');
    v.update(body);
    expect(v.finish(manifest, handlers.signer.publicKey)).toEqual({
      ok: true,
      count: manifest.count,
    });
  });

  it('verifies the chain over HTTP, and audits the reads', async () => {
    const res = await get('/audit/verify?tenant=acme');
    expect(await res.json()).toMatchObject({ ok: true, tenantId: 'acme' });
    await trail.flush();
    const views = await db.store.query({ tenantId: 'acme', action: 'audit.log.*', limit: 100 });
    const actions = new Set(views.events.map((e) => e.action));
    expect([...actions]).toEqual(
      expect.arrayContaining([
        'audit.log.view',
        'audit.log.search',
        'audit.log.export',
        'audit.log.verify',
      ]),
    );
    expect(views.events.find((e) => e.action === 'audit.log.view')?.actor.id).toBe('ann');
  });
});
