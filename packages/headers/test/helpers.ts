import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { expect } from 'vitest';
import type { PresetName } from '../src/index.js';

const PERMISSIONS =
  'accelerometer=(), bluetooth=(), browsing-topics=(), camera=(), display-capture=(), ' +
  'geolocation=(), gyroscope=(), hid=(), idle-detection=(), local-fonts=(), magnetometer=(), ' +
  'microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()';

const NONCE = '[A-Za-z0-9+/]{22}==';
const HTML_CSP = (script: string, upgrade: string) =>
  new RegExp(
    `^default-src 'self';script-src ${script} 'nonce-(${NONCE})' 'strict-dynamic';` +
      `script-src-attr 'none';style-src 'self' 'nonce-\\1';img-src 'self' data:;` +
      "font-src 'self' data:;object-src 'none';base-uri 'self';form-action 'self';" +
      `frame-ancestors 'self'${upgrade}$`,
  );

const COMMON: Record<string, string> = {
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
  'permissions-policy': PERMISSIONS,
};

/** The exact security headers each preset sends; the CSP as a pattern (its nonce varies). */
export const PRESET_HEADERS: Record<PresetName, Record<string, string | RegExp>> = {
  html: {
    ...COMMON,
    'content-security-policy': HTML_CSP("'self'", ';upgrade-insecure-requests'),
  },
  api: {
    ...COMMON,
    'content-security-policy':
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none';" +
      'upgrade-insecure-requests',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  },
  dev: {
    ...Object.fromEntries(
      Object.entries(COMMON).filter(([name]) => name !== 'strict-transport-security'),
    ),
    'content-security-policy': HTML_CSP("'self' 'unsafe-eval'", ''),
  },
};

/** Every header name any preset (or helmet) may send, to prove nothing extra leaks out. */
export const SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'permissions-policy',
  'reporting-endpoints',
  'cache-control',
  'x-powered-by',
];

/** Picks the security headers out of a response. */
export function securityHeadersOf(headers: Headers): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of SECURITY_HEADER_NAMES) {
    const value = headers.get(name);
    if (value !== null) found[name] = value;
  }
  return found;
}

/** Asserts the response carries exactly the preset's header set; returns the CSP nonce. */
export function expectPresetHeaders(headers: Headers, preset: PresetName): string | undefined {
  const found = securityHeadersOf(headers);
  const expected = PRESET_HEADERS[preset];
  expect(Object.keys(found).sort()).toEqual(Object.keys(expected).sort());
  let nonce: string | undefined;
  for (const [name, value] of Object.entries(expected)) {
    if (typeof value === 'string') expect(found[name]).toEqual(value);
    else {
      expect(found[name]).toMatch(value);
      nonce = value.exec(found[name] ?? '')?.[1];
    }
  }
  return nonce;
}

/** Starts an Express app on 127.0.0.1 with an ephemeral port. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
