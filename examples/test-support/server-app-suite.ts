import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, rawGet, startApp, stopAll, UUIDV7 } from './harness.js';

/**
 * The end-to-end suite shared by the Express and Fastify examples: both serve the same
 * routes through their own `pnpm start`, so one suite proves both over real HTTP.
 * The caller passes core's REQUEST_ID_PATTERN (this folder is not a workspace package).
 */
export function describeServerApp(cwd: string, REQUEST_ID_PATTERN: RegExp): void {
  function start(nodeEnv: string): Promise<RunningApp> {
    return startApp('pnpm', ['start'], {
      cwd,
      // the suite's callers identify themselves with the demo's X-User-* headers, in production too
      env: { NODE_ENV: nodeEnv, DEMO_HEADER_AUTH: 'on', HOST: '127.0.0.1', PORT: '0' },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    });
  }

  let dev: RunningApp;
  let prod: RunningApp;

  beforeAll(async () => {
    const [a, b] = await Promise.all([start('development'), start('production')]);
    dev = a;
    prod = b;
  });

  afterAll(stopAll);

  function post(app: RunningApp, body: string): Promise<Response> {
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
    it('answers liveness, and readiness over the audit database (PGlite here)', async () => {
      const live = await fetch(`${dev.url}/health`);
      expect(live.headers.get('cache-control')).toBe('no-store');
      const ready = await fetch(`${prod.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: 'healthy',
        checks: { 'audit-database': 'healthy' },
      });
    });

    it('reports each dependency and the transitions in /health/status', async () => {
      const res = await fetch(`${dev.url}/health/status`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; checks: unknown[]; history: unknown[] };
      expect(body.status).toBe('healthy');
      expect(body.checks).toEqual([
        expect.objectContaining({
          name: 'audit-database',
          status: 'healthy',
          response_time_ms: expect.any(Number),
        }),
      ]);
      expect(body.history).toEqual([
        expect.objectContaining({ name: 'audit-database', from: null, to: 'healthy' }),
      ]);
    });
  });

  describe('request id', () => {
    it('is generated as a UUIDv7 when the client sends none', async () => {
      const res = await fetch(`${dev.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      expect(res.headers.get('x-request-id')).toMatch(UUIDV7);
    });

    it('is accepted and echoed when valid, and is the id the handler sees', async () => {
      const id = 'abc-123.DEF:x_y';
      expect(id).toMatch(REQUEST_ID_PATTERN);
      const res = await fetch(`${dev.url}/api/whoami`, { headers: { 'X-Request-ID': id } });
      expect(res.headers.get('x-request-id')).toBe(id);
      expect(await res.json()).toMatchObject({ requestId: id, route: '/api/whoami' });
    });

    it('accepts the X-Correlation-ID alias', async () => {
      const res = await fetch(`${dev.url}/health`, { headers: { 'X-Correlation-ID': 'corr-42' } });
      expect(res.headers.get('x-request-id')).toBe('corr-42');
    });

    it.each([
      ['too long', 'a'.repeat(200)],
      ['with spaces', 'id with spaces'],
      ['with a quote', 'id"<script>'],
    ])('is replaced when %s', async (_case, hostile) => {
      const res = await fetch(`${dev.url}/health`, { headers: { 'X-Request-ID': hostile } });
      expect(res.headers.get('x-request-id')).toMatch(UUIDV7);
    });

    it('is replaced when not ASCII', async () => {
      const headers = await rawGet(`${dev.url}/health`, ['X-Request-ID: café-☕']);
      expect(headers.get(':status')).toMatch(/^HTTP\/1\.1 200/);
      expect(headers.get('x-request-id')).toMatch(UUIDV7);
    });
  });

  describe('client ip', () => {
    it('ignores X-Forwarded-For unless proxies are trusted', async () => {
      const res = await fetch(`${dev.url}/api/whoami`, {
        headers: { 'X-Forwarded-For': '203.0.113.7' },
      });
      expect(await res.json()).toMatchObject({ ip: '127.0.0.1' });
    });
  });

  describe('items', () => {
    it('lists the seeded items', async () => {
      const res = await fetch(`${dev.url}/api/items`);
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: unknown[] };
      expect(items).toHaveLength(2);
    });

    it('creates an item with 201 and serves it back', async () => {
      const res = await post(dev, JSON.stringify({ name: 'Monitor', price: 199.99 }));
      expect(res.status).toBe(201);
      const created = (await res.json()) as { id: string };
      expect(created).toMatchObject({ name: 'Monitor', price: 199.99, id: expect.any(String) });
      const fetched = await fetch(`${dev.url}/api/items/${created.id}`);
      expect(await fetched.json()).toEqual(created);
    });

    it('rejects an invalid body with 400 and one issue per field', async () => {
      const res = await post(dev, JSON.stringify({ name: '', price: -1 }));
      const body = await expectProblem(res, 400);
      const paths = (body.errors as { path: string; message: string }[]).map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['name', 'price']));
    });

    it('rejects malformed JSON with 400', async () => {
      await expectProblem(await post(dev, '{"name": "Monitor",'), 400);
    });

    it('answers 404 problem+json for a missing item', async () => {
      await expectProblem(await fetch(`${dev.url}/api/items/999`), 404);
    });

    it('answers 404 problem+json for an unknown route', async () => {
      await expectProblem(await fetch(`${dev.url}/api/nope`), 404);
    });
  });

  describe('a path that does not decode', () => {
    it.each(['/api/items/%E0%A4%A', '/api/admin/flags/%E0%A4%A'])(
      'answers %s with 400 problem+json, no internals',
      async (path) => {
        const res = await fetch(`${prod.url}${path}`, {
          headers: { 'x-user-id': 'ops-1', 'x-user-role': 'admin' },
        });
        const body = await expectProblem(res, 400);
        expect(JSON.stringify(body)).not.toMatch(/URIError|decodeURI|stack/);
      },
    );
  });

  describe('unexpected errors', () => {
    it('answer 500 with debug details in development', async () => {
      const body = await expectProblem(await fetch(`${dev.url}/api/boom`), 500);
      expect(body.debug).toBeDefined();
    });

    it('never reveal internals in production', async () => {
      const res = await fetch(`${prod.url}/api/boom`);
      const text = await res.clone().text();
      const body = await expectProblem(res, 500);
      expect(body.debug).toBeUndefined();
      expect(text).not.toContain('hunter2');
      expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    });
  });
}
