import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';

/** The header set both sides send (helmet 8's defaults): same names, same values. */
const HELMET_SET: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Directives sorted: helmet and @platform/headers list them in different orders. */
const normalizeCsp = (csp: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .sort()
    .join(';');
const { 'content-security-policy': CSP, ...STATIC_SET } = HELMET_SET;

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });
const secured = async (origin: string) => {
  await expectResponse(origin, PATH, { status: 200, headers: STATIC_SET });
  const res = await fetch(`${origin}${PATH}`);
  await res.arrayBuffer();
  if (res.headers.has('x-powered-by')) throw new Error('X-Powered-By is still sent');
  const csp = res.headers.get('content-security-policy') ?? '';
  if (normalizeCsp(csp) !== normalizeCsp(CSP as string)) throw new Error(`CSP differs: ${csp}`);
};

export default defineSuite({
  name: 'headers',
  description:
    'GET /api/items/:id (small JSON) on bare Express 5 / Fastify 5 vs the same app with @platform/headers vs helmet / @fastify/helmet, both sending helmet 8 default header set.',
  request: { path: PATH },
  variants: [
    {
      name: 'express bare',
      kind: 'express',
      baseline: true,
      server: serverUrl('express-bare'),
      verify: bare,
    },
    {
      name: 'express + @platform/headers',
      kind: 'express',
      server: serverUrl('headers-express-ours'),
      verify: secured,
    },
    {
      name: 'express + helmet',
      kind: 'express',
      server: serverUrl('headers-express-helmet'),
      verify: secured,
    },
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: bare,
    },
    {
      name: 'fastify + @platform/headers',
      kind: 'fastify',
      server: serverUrl('headers-fastify-ours'),
      verify: secured,
    },
    {
      name: 'fastify + @fastify/helmet',
      kind: 'fastify',
      server: serverUrl('headers-fastify-helmet'),
      verify: secured,
    },
  ],
});
