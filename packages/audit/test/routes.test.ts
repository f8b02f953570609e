import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setActor, setTenant } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportManifest, exportVerifier } from '../src/export.js';
import { auditRoute as expressRoute } from '../src/express.js';
import { auditRoute as fastifyRoute } from '../src/fastify.js';
import { type AuditHandlers, auditHandlers } from '../src/handlers.js';
import { auditRoute as nextRoute } from '../src/next.js';
import { memoryStore } from '../src/stores/memory.js';
import { auditTrail } from '../src/trail.js';
import { headerAuth } from './http-support.js';

// The handlers mounted with each framework's `auditRoute`: the same answers everywhere, and
// the export's manifest as a trailer wherever the transport has trailers.

const store = memoryStore();
const trail = auditTrail({ store, log: false, shutdown: false });
const handlers = auditHandlers({
  trail,
  authorize: ({ context }) => context?.actor?.roles.includes('auditor') ?? false,
});
const closers: (() => Promise<unknown>)[] = [];
const urls: Record<string, string> = {};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function expressApp(h: AuditHandlers): Promise<string> {
  const app = express();
  app.use(expressContext());
  app.use(headerAuth());
  app.get('/audit/events', expressRoute(h.search));
  app.get('/audit/export', expressRoute(h.export));
  app.get('/audit/verify', expressRoute(h.verify));
  return listen(createServer(app));
}

async function fastifyApp(h: AuditHandlers): Promise<string> {
  const app = Fastify();
  await app.register(fastifyContext);
  app.addHook('onRequest', async (req) => {
    setActor({ type: 'user', id: String(req.headers['x-user']), roles: ['auditor'] });
    setTenant(req.headers['x-tenant'] as string | undefined);
  });
  app.get('/audit/events', fastifyRoute(h.search));
  app.get('/audit/export', fastifyRoute(h.export));
  app.get('/audit/verify', fastifyRoute(h.verify));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return url;
}

/** Next route handlers behind a Node server, one per path. */
function fetchApp(h: AuditHandlers): Promise<string> {
  const routes: Record<string, (request: Request) => Promise<Response>> = {};
  for (const [path, handler] of [
    ['/audit/events', h.search],
    ['/audit/export', h.export],
    ['/audit/verify', h.verify],
  ] as const) {
    const route = nextRoute(handler);
    routes[path] = withRequestContext((request: Request) => {
      setActor({ type: 'user', id: request.headers.get('x-user') ?? '', roles: ['auditor'] });
      setTenant(request.headers.get('x-tenant') ?? undefined);
      return route(request);
    });
  }
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[url.pathname];
    if (!route) return void res.writeHead(404).end();
    const response = await route(
      new Request(url, { headers: req.headers as Record<string, string> }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    for await (const chunk of response.body ?? []) res.write(chunk);
    res.end();
  });
  return listen(server);
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  trailers: Record<string, string | undefined>;
}

/** A raw Node client, so trailers are visible (fetch drops them). */
function get(url: string): Promise<Reply> {
  const headers = { 'x-user': 'ann', 'x-roles': 'auditor', 'x-tenant': 'routes' };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          trailers: res.trailers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  for (let i = 0; i < 12; i++) trail.record({ action: 'doc.update', tenantId: 'routes' });
  await trail.flush();
  urls.Express = await expressApp(handlers);
  urls.Fastify = await fastifyApp(handlers);
  urls['Next (Fetch handler)'] = await fetchApp(handlers);
});
afterAll(async () => {
  for (const close of closers) await close();
  await trail.close();
});

describe.each(['Express', 'Fastify', 'Next (Fetch handler)'])('auditRoute on %s', (name) => {
  it('searches, with JSON and no-store, and answers a bad query with problem+json', async () => {
    const page = await get(`${urls[name]}/audit/events?tenant=routes&action=doc.update&limit=5`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((JSON.parse(page.body) as { events: unknown[] }).events).toHaveLength(5);
    const bad = await get(`${urls[name]}/audit/events?outcome=maybe`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('streams an export that verifies against its signed manifest', async () => {
    const reply = await get(`${urls[name]}/audit/export?tenant=routes&toSeq=12`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-ndjson');
    expect(reply.headers['x-audit-to-seq']).toBe('12');
    const trailer = reply.trailers['x-audit-manifest'];
    // a Fetch Response cannot carry trailers: the manifest is in the audit.log.export event
    const manifest = trailer
      ? (JSON.parse(Buffer.from(trailer, 'base64').toString()) as ExportManifest)
      : await manifestFromTrail(reply.headers['x-request-id'] as string);
    if (name !== 'Next (Fetch handler)') expect(trailer).toBeDefined();
    expect(manifest.count).toBe(12);
    const verifier = exportVerifier('ndjson');
    verifier.update(reply.body);
    expect(verifier.finish(manifest, handlers.signer.publicKey)).toEqual({ ok: true, count: 12 });
  });

  it('verifies the chain', async () => {
    const reply = await get(`${urls[name]}/audit/verify?tenant=routes&toSeq=12`);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, tenantId: 'routes' });
  });
});

async function manifestFromTrail(requestId: string): Promise<ExportManifest> {
  await trail.flush();
  const { events } = await store.query({
    tenantId: 'routes',
    action: 'audit.log.export',
    requestId,
  });
  const manifest = (events[0]?.metadata as { manifest?: ExportManifest } | undefined)?.manifest;
  if (!manifest) throw new Error(`no audit.log.export event for ${requestId}`);
  return manifest;
}
