import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REQUEST_ID_PATTERN } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, rawGet, stopAll, UUIDV7 } from '../../test-support/harness.js';
import { startNext } from './next-app.js';

// `next start` always runs with NODE_ENV=production, so this suite covers the
// production behaviour only; the Express and Fastify suites cover development.
let app: RunningApp;

beforeAll(async () => {
  app = await startNext();
});

afterAll(stopAll);

function post(body: string): Promise<Response> {
  return fetch(`${app.url}/api/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

async function expectProblem(res: Response, status: number): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, requestId: res.headers.get('x-request-id') });
  expect(body.type).toBe('about:blank'); // no typeBase set: no domain in the body
  expect(body.title).toEqual(expect.any(String));
  return body;
}

describe('health', () => {
  it('answers liveness, readiness and the status (memory stores here: no dependency to check)', async () => {
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(ready.headers.get('x-request-id')).toMatch(UUIDV7);
    expect(await ready.json()).toEqual({ status: 'healthy', checks: {} });
    const status = await fetch(`${app.url}/health/status`);
    expect(await status.json()).toMatchObject({ status: 'healthy', checks: [], history: [] });
  });
});

describe('request id', () => {
  it('is generated as a UUIDv7 when the client sends none', async () => {
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(UUIDV7);
  });

  it('is accepted and echoed when valid, and is the id the handler sees', async () => {
    const id = 'abc-123.DEF:x_y';
    expect(id).toMatch(REQUEST_ID_PATTERN);
    const res = await fetch(`${app.url}/api/whoami`, { headers: { 'X-Request-ID': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
    expect(await res.json()).toMatchObject({ requestId: id, route: '/api/whoami' });
  });

  it('accepts the X-Correlation-ID alias', async () => {
    const res = await fetch(`${app.url}/health`, { headers: { 'X-Correlation-ID': 'corr-42' } });
    expect(res.headers.get('x-request-id')).toBe('corr-42');
  });

  it.each([
    ['too long', 'a'.repeat(200)],
    ['with spaces', 'id with spaces'],
    ['with a quote', 'id"<script>'],
  ])('is replaced when %s, and the handler sees the replacement', async (_case, hostile) => {
    const res = await fetch(`${app.url}/api/whoami`, { headers: { 'X-Request-ID': hostile } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUIDV7);
    expect(await res.json()).toMatchObject({ requestId: id });
  });

  it('is replaced when not ASCII', async () => {
    const headers = await rawGet(`${app.url}/health`, ['X-Request-ID: café-☕']);
    expect(headers.get(':status')).toMatch(/^HTTP\/1\.1 200/);
    expect(headers.get('x-request-id')).toMatch(UUIDV7);
  });

  it('reaches pages through proxy.ts', async () => {
    const res = await fetch(`${app.url}/`, { headers: { 'X-Request-ID': 'page-view-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('page-view-1');
    const html = await res.text();
    expect(html).toContain('Keyboard');
    expect(html).toMatch(/data-testid="request-id">page-view-1</);
  });
});

describe('client ip', () => {
  // Next hides the socket address and `next start` passes a client-sent X-Forwarded-For
  // through untouched, so without a declared proxy (trustProxy) the IP stays unknown.
  it('is unknown when no proxy is declared, whatever X-Forwarded-For says', async () => {
    const cases: Record<string, string>[] = [{}, { 'X-Forwarded-For': '203.0.113.7' }];
    for (const headers of cases) {
      const res = await fetch(`${app.url}/api/whoami`, { headers });
      const body = (await res.json()) as { ip?: string };
      expect(body.ip).toBeUndefined();
    }
  });
});

/**
 * A minimal reverse proxy on loopback that appends the peer address to
 * X-Forwarded-For, as nginx's `$proxy_add_x_forwarded_for` does.
 */
async function startProxy(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const prior = req.headers['x-forwarded-for'];
    const peer = req.socket.remoteAddress ?? '';
    const forwarded = prior ? `${prior}, ${peer}` : peer;
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('client ip behind a declared proxy (TRUST_PROXY_HOPS=1)', () => {
  let proxy: { url: string; server: Server };

  beforeAll(async () => {
    const behind = await startNext({ TRUST_PROXY_HOPS: '1' });
    proxy = await startProxy(behind.url);
  });
  afterAll(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));

  it('takes the address the proxy saw, not one the client claims', async () => {
    const cases: Record<string, string>[] = [{}, { 'X-Forwarded-For': '203.0.113.7' }];
    for (const headers of cases) {
      const res = await fetch(`${proxy.url}/api/whoami`, { headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ip?: string };
      expect(body.ip).toBe('127.0.0.1');
    }
  });

  it('reports the client behind a proxy chain only as far as the trusted hops reach', async () => {
    const res = await fetch(`${proxy.url}/api/whoami`, {
      headers: { 'X-Forwarded-For': '198.51.100.9, 203.0.113.7' },
    });
    const body = (await res.json()) as { ip?: string };
    expect(body.ip).toBe('127.0.0.1');
  });
});

describe('items', () => {
  it('lists the seeded items', async () => {
    const res = await fetch(`${app.url}/api/items`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: unknown[] };
    expect(items.length).toBeGreaterThanOrEqual(2);
  });

  it('creates an item with 201 and serves it back', async () => {
    const res = await post(JSON.stringify({ name: 'Monitor', price: 199.99 }));
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toMatch(UUIDV7);
    const created = (await res.json()) as { id: string };
    expect(created).toMatchObject({ name: 'Monitor', price: 199.99, id: expect.any(String) });
    const fetched = await fetch(`${app.url}/api/items/${created.id}`);
    expect(await fetched.json()).toEqual(created);
  });

  it('rejects an invalid body with 400 and one issue per field', async () => {
    const res = await post(JSON.stringify({ name: '', price: -1 }));
    const body = await expectProblem(res, 400);
    const paths = (body.errors as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'price']));
  });

  it('rejects malformed JSON with 400', async () => {
    await expectProblem(await post('{"name": "Monitor",'), 400);
  });

  it('answers 404 problem+json for a missing item', async () => {
    await expectProblem(await fetch(`${app.url}/api/items/999`), 404);
  });
});

describe('unexpected errors', () => {
  it('answer 500 without internals (next start runs in production)', async () => {
    const res = await fetch(`${app.url}/api/boom`);
    const text = await res.clone().text();
    const body = await expectProblem(res, 500);
    expect(body.debug).toBeUndefined();
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  });
});
