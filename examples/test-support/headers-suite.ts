import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, stopAll } from './harness.js';

const PERMISSIONS_POLICY =
  'accelerometer=(), bluetooth=(), browsing-topics=(), camera=(), display-capture=(), ' +
  'geolocation=(), gyroscope=(), hid=(), idle-detection=(), local-fonts=(), magnetometer=(), ' +
  'microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), usb=(), ' +
  'xr-spatial-tracking=()';

/** What @platform/headers' presets share, by lower-cased name. */
const COMMON: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'permissions-policy': PERMISSIONS_POLICY,
};

/** The `api` preset, exactly. */
export const API_PRESET: Record<string, string> = {
  ...COMMON,
  'content-security-policy':
    "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none';upgrade-insecure-requests",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** The `html` preset without its CSP (whose nonce changes per response: see `htmlCsp`). */
export const HTML_PRESET_STATIC: Record<string, string> = {
  ...COMMON,
  'x-frame-options': 'SAMEORIGIN',
};

/** The `html` preset's CSP for one nonce, reporting to `reportUri`. */
export function htmlCsp(nonce: string, reportUri: string): string {
  return (
    `default-src 'self';script-src 'self' 'nonce-${nonce}' 'strict-dynamic';script-src-attr 'none';` +
    `style-src 'self' 'nonce-${nonce}';img-src 'self' data:;font-src 'self' data:;object-src 'none';` +
    `base-uri 'self';form-action 'self';frame-ancestors 'self';upgrade-insecure-requests;` +
    `report-uri ${reportUri};report-to csp-endpoint`
  );
}

/** Every header a security-headers middleware (ours or helmet) could send. */
const UNIVERSE = [
  ...new Set([
    ...Object.keys(API_PRESET),
    'content-security-policy-report-only',
    'cross-origin-embedder-policy',
    'reporting-endpoints',
    'x-powered-by',
  ]),
];

/** The security headers of `res` are exactly `expected`: same names, same values, nothing else. */
export function expectSecurityHeaders(res: Response, expected: Record<string, string>): void {
  const actual: Record<string, string> = {};
  for (const name of UNIVERSE) {
    const value = res.headers.get(name);
    if (value !== null) actual[name] = value;
  }
  expect(actual).toEqual(expected);
}

type Score = (headers: Headers) => { grade: string; score: number };

/** POSTs a CSP report body to the receiver. */
export function postReport(url: string, contentType: string, body: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
}

const cspReport = (blockedUri: string) =>
  JSON.stringify({
    'csp-report': {
      'document-uri': 'http://127.0.0.1/page',
      'blocked-uri': blockedUri,
      'effective-directive': 'script-src-elem',
      'violated-directive': 'script-src-elem',
      'original-policy': "default-src 'none'",
      disposition: 'enforce',
    },
  });

const reportsJson = (blockedURL: string) =>
  JSON.stringify([
    {
      type: 'csp-violation',
      age: 10,
      url: 'http://127.0.0.1/page',
      user_agent: 'e2e',
      body: {
        documentURL: 'http://127.0.0.1/page',
        blockedURL,
        effectiveDirective: 'img-src',
        originalPolicy: "default-src 'none'",
        disposition: 'enforce',
        statusCode: 200,
      },
    },
  ]);

/**
 * The CSP violation receiver over real HTTP: both report media types accepted (and each
 * violation logged by the server as one "csp violation" JSON line, within the examples'
 * one-second aggregation interval), malformed bodies 400,
 * bodies over 64 kB 413, other media types 415.
 */
export function describeCspReceiver(app: () => RunningApp, path = '/api/csp-report'): void {
  describe(`CSP report receiver (POST ${path})`, () => {
    const logged = (marker: string) =>
      app()
        .output()
        .split('\n')
        .filter((line) => line.includes('"csp violation"') && line.includes(marker));

    it('accepts application/csp-report and logs the violation with the request id', async () => {
      const marker = `https://evil.example/csp-${Date.now()}.js`;
      const res = await postReport(
        `${app().url}${path}`,
        'application/csp-report',
        cspReport(marker),
      );
      expect(res.status).toBe(204);
      await expect.poll(() => logged(marker).length, { timeout: 10_000 }).toBe(1);
      const event = JSON.parse(logged(marker)[0] as string);
      expect(event).toMatchObject({
        blockedUri: marker,
        effectiveDirective: 'script-src-elem',
        format: 'csp-report',
        requestId: res.headers.get('x-request-id'),
      });
    });

    it('accepts application/reports+json', async () => {
      const marker = `https://evil.example/rj-${Date.now()}.png`;
      const res = await postReport(
        `${app().url}${path}`,
        'application/reports+json',
        reportsJson(marker),
      );
      expect(res.status).toBe(204);
      await expect.poll(() => logged(marker).length, { timeout: 10_000 }).toBe(1);
      expect(JSON.parse(logged(marker)[0] as string)).toMatchObject({
        effectiveDirective: 'img-src',
        format: 'reports+json',
      });
    });

    it.each([
      ['not JSON', 'application/csp-report', '{"csp-report":'],
      ['JSON without a csp-report', 'application/csp-report', '{"hello":1}'],
      ['a reports+json object, not a list', 'application/reports+json', '{"type":"csp-violation"}'],
    ])('answers 400 problem+json to %s', async (_case, type, body) => {
      const res = await postReport(`${app().url}${path}`, type, body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({
        status: 400,
        requestId: res.headers.get('x-request-id'),
      });
    });

    it('answers 413 above 64 kB', async () => {
      const padded = JSON.stringify({
        'csp-report': { 'blocked-uri': 'inline', 'script-sample': 'x'.repeat(65 * 1024) },
      });
      const res = await postReport(`${app().url}${path}`, 'application/csp-report', padded);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ status: 413 });
    });

    it('answers 415 to other media types', async () => {
      const res = await postReport(`${app().url}${path}`, 'text/plain', cspReport('inline'));
      expect(res.status).toBe(415);
    });
  });
}

/**
 * The headers suite for the Express and Fastify examples: both serve JSON only, so every
 * response (200, 201, 400, 404, 500, 429 and the receiver's 204) carries the `api` preset.
 * The caller passes `scoreHeaders` from @platform/headers (this folder is not a package).
 */
export function describeHeaders(cwd: string, scoreHeaders: Score): void {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp('pnpm', ['start'], {
      cwd,
      env: { NODE_ENV: 'production', DEMO_HEADER_AUTH: 'on', HOST: '127.0.0.1', PORT: '0' },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    });
  });
  afterAll(stopAll);

  describe('the api preset, exactly', () => {
    it.each([
      ['GET', '/health', 200],
      ['GET', '/api/items', 200],
      ['GET', '/api/whoami', 200],
      ['GET', '/api/items/999', 404],
      ['GET', '/nope', 404],
      ['GET', '/api/boom', 500],
    ])('%s %s (%i)', async (method, path, status) => {
      const res = await fetch(`${app.url}${path}`, { method });
      expect(res.status).toBe(status);
      expectSecurityHeaders(res, API_PRESET);
    });

    it('on a 201 and a 400 from POST /api/items', async () => {
      const post = (body: string) =>
        fetch(`${app.url}/api/items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-user-id': 'headers-poster' },
          body,
        });
      const created = await post('{"name":"Cable","price":3}');
      expect(created.status).toBe(201);
      expectSecurityHeaders(created, API_PRESET);
      const invalid = await post('{"name":""}');
      expect(invalid.status).toBe(400);
      expectSecurityHeaders(invalid, API_PRESET);
    });

    it('on the receiver 204', async () => {
      const res = await postReport(
        `${app.url}/api/csp-report`,
        'application/csp-report',
        cspReport('inline'),
      );
      expect(res.status).toBe(204);
      expectSecurityHeaders(res, API_PRESET);
    });

    it('grades A+ on the Observatory-style score', async () => {
      const res = await fetch(`${app.url}/api/items`);
      expect(scoreHeaders(res.headers)).toMatchObject({ grade: 'A+' });
    });
  });

  describeCspReceiver(() => app);
}
