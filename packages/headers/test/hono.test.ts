import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { withRequestContext } from '@platform/core/next';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspReportRoute, type SecurityHeadersEnv, securityHeaders } from '../src/hono.js';
import type { CspViolation } from '../src/index.js';
import { expectPresetHeaders } from './helpers.js';

const events: CspViolation[] = [];
const report = cspReportRoute({ onViolation: (v) => events.push(v), aggregateMs: 0 });
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = new Hono<SecurityHeadersEnv>();
  app.use(securityHeaders());
  app.get('/', (c) => c.html(`<script nonce="${c.get('cspNonce')}">boot()</script>`));
  app.get('/own', (c) => c.text('mine', 200, { 'x-frame-options': 'DENY' }));
  app.get('/proxied', () => Response.redirect('http://127.0.0.1/elsewhere', 302));
  app.get('/boom', () => {
    throw new Error('exploded');
  });
  app.onError((_err, c) => c.json({ error: 'internal' }, 500));
  app.post('/csp-report', report);
  // Hono served by @hono/node-server, each request inside core's request context.
  const fetch = withRequestContext((request: Request) => app.fetch(request));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('hono securityHeaders', () => {
  it('sends the html preset with a fresh CSP nonce the page can use', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/`);
      const nonce = expectPresetHeaders(res.headers, 'html');
      expect(await res.text()).toBe(`<script nonce="${nonce}">boot()</script>`);
      nonces.add(nonce as string);
    }
    expect(nonces.size).toBe(3);
  });

  it('covers 404s, errors and immutable responses, and leaves what a handler set', async () => {
    for (const path of ['/nowhere', '/boom'])
      expectPresetHeaders((await fetch(`${base}${path}`)).headers, 'html');
    const proxied = await fetch(`${base}/proxied`, { redirect: 'manual' });
    expect(proxied.status).toBe(302);
    expectPresetHeaders(proxied.headers, 'html');
    const own = await fetch(`${base}/own`);
    expect(own.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('hono cspReportRoute', () => {
  const post = (type: string, body: string) =>
    fetch(`${base}/csp-report`, {
      method: 'POST',
      headers: { 'content-type': type, 'x-request-id': 'hono-csp' },
      body,
    });

  it('receives a report inside the request context, and bounds and validates the body', async () => {
    const report = { 'csp-report': { 'document-uri': 'x', 'effective-directive': 'img-src' } };
    const res = await post('application/csp-report', JSON.stringify(report));
    expect(res.status).toBe(204);
    expect(events.at(-1)).toMatchObject({ requestId: 'hono-csp', effectiveDirective: 'img-src' });
    expect((await post('application/csp-report', 'x'.repeat(70_000))).status).toBe(413);
    const malformed = await post('application/reports+json', '{');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    expect((await post('text/plain', 'x')).status).toBe(415);
  });
});
