import { ConfigError } from '@platform/core';
import { getScriptNonceFromHeader } from 'next/dist/server/app-render/get-script-nonce-from-header.js';
import { describe, expect, it } from 'vitest';
import { type CspOptions, contentSecurityPolicy } from './csp.js';

const directives = (value: string) =>
  Object.fromEntries(
    value.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );

const errorOf = (options: CspOptions): string => {
  try {
    contentSecurityPolicy(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('contentSecurityPolicy', () => {
  it('renders the strict nonce policy by default', () => {
    const csp = contentSecurityPolicy();
    expect(csp.header).toBe('Content-Security-Policy');
    expect(csp.usesNonce).toBe(true);
    expect(csp.value('abc')).toBe(
      "default-src 'self';script-src 'self' 'nonce-abc' 'strict-dynamic';script-src-attr 'none';" +
        "style-src 'self' 'nonce-abc';img-src 'self' data:;font-src 'self' data:;object-src 'none';" +
        "base-uri 'self';form-action 'self';frame-ancestors 'self';upgrade-insecure-requests",
    );
  });

  it('puts the nonce where Next.js looks for it', () => {
    const csp = contentSecurityPolicy({ directives: { scriptSrcElem: ["'self'"] } });
    expect(getScriptNonceFromHeader(csp.value('q3X0yqS5b0m4cYHkX1p2bA=='))).toBe(
      'q3X0yqS5b0m4cYHkX1p2bA==',
    );
  });

  it('is static without a nonce', () => {
    const csp = contentSecurityPolicy({ nonce: false });
    expect(csp.usesNonce).toBe(false);
    expect(directives(csp.value())['script-src']).toEqual(["'self'"]);
  });

  it('replaces, adds and removes directives in either spelling', () => {
    const csp = contentSecurityPolicy({
      nonce: false,
      directives: {
        imgSrc: ["'self'", 'https://cdn.example'],
        'connect-src': ["'self'", 'wss://live.example'],
        upgradeInsecureRequests: false,
        frameAncestors: "'none'",
      },
    });
    const d = directives(csp.value());
    expect(d['img-src']).toEqual(["'self'", 'https://cdn.example']);
    expect(d['connect-src']).toEqual(["'self'", 'wss://live.example']);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['upgrade-insecure-requests']).toBeUndefined();
  });

  it('starts from nothing without defaults', () => {
    const csp = contentSecurityPolicy({
      useDefaults: false,
      nonce: false,
      directives: { defaultSrc: ["'none'"], sandbox: true },
    });
    expect(csp.value()).toBe("default-src 'none';sandbox");
  });

  it('anchors strict-dynamic on a hash when there is no nonce', () => {
    const hash = "'sha256-B2yPHKaXnvFWtRChIbabYmUBFZdVfKKXHbWtWidDVF8='";
    const csp = contentSecurityPolicy({
      nonce: false,
      strictDynamic: true,
      directives: { scriptSrc: [hash] },
    });
    expect(directives(csp.value())['script-src']).toEqual([hash, "'strict-dynamic'"]);
  });

  it('drops strict-dynamic when asked', () => {
    const csp = contentSecurityPolicy({ strictDynamic: false });
    expect(directives(csp.value('n'))['script-src']).toEqual(["'self'", "'nonce-n'"]);
  });

  it('replaces a none source when the nonce is added', () => {
    const csp = contentSecurityPolicy({
      strictDynamic: false,
      directives: { styleSrc: ["'none'"] },
    });
    expect(directives(csp.value('n'))['style-src']).toEqual(["'nonce-n'"]);
  });

  it('reports through report-uri, report-to and Reporting-Endpoints', () => {
    const csp = contentSecurityPolicy({ nonce: false, reportUri: '/csp-report' });
    const d = directives(csp.value());
    expect(d['report-uri']).toEqual(['/csp-report']);
    expect(d['report-to']).toEqual(['csp-endpoint']);
    expect(csp.reportingEndpoints).toBe('csp-endpoint="/csp-report"');
    const custom = contentSecurityPolicy({ reportUri: 'https://r.example/c', reportGroup: 'sec' });
    expect(custom.reportingEndpoints).toBe('sec="https://r.example/c"');
  });

  it('reports through report-uri alone with reportTo: false', () => {
    const csp = contentSecurityPolicy({ nonce: false, reportUri: '/csp-report', reportTo: false });
    const d = directives(csp.value());
    expect(d['report-uri']).toEqual(['/csp-report']);
    expect(d['report-to']).toBeUndefined();
    expect(csp.reportingEndpoints).toBeUndefined();
  });

  it('switches to report-only', () => {
    expect(contentSecurityPolicy({ reportOnly: true }).header).toBe(
      'Content-Security-Policy-Report-Only',
    );
  });

  it.each<[string, CspOptions, string]>([
    [
      'unquoted self',
      { directives: { scriptSrc: ['self'] } },
      `script-src: keyword self must be quoted`,
    ],
    [
      'unquoted none',
      { directives: { objectSrc: ['none'] } },
      'object-src: keyword none must be quoted',
    ],
    [
      'unknown directive',
      { directives: { scriptSource: ["'self'"] } as never },
      'unknown CSP directive "scriptSource"',
    ],
    [
      'unknown keyword',
      { directives: { scriptSrc: ["'unsafe'"] } },
      "script-src: unknown keyword 'unsafe'",
    ],
    [
      'fixed nonce',
      { directives: { scriptSrc: ["'nonce-abc'"] } },
      'fixed nonces defeat their purpose',
    ],
    [
      'none with others',
      { directives: { imgSrc: ["'none'", "'self'"] } },
      "img-src: 'none' must be the only source",
    ],
    [
      'semicolon injection',
      { directives: { imgSrc: ["'self'; script-src *"] } },
      'img-src: "\'self\'; script-src *" must not contain',
    ],
    [
      'frame-ancestors keyword',
      { directives: { frameAncestors: ["'unsafe-inline'"] } },
      'frame-ancestors takes only',
    ],
    [
      'value on a flag',
      { directives: { upgradeInsecureRequests: ['yes'] } },
      'upgrade-insecure-requests: takes no value',
    ],
    ['sandbox token', { directives: { sandbox: ['allow-everything'] } }, 'unknown sandbox token'],
    [
      'duplicate spellings',
      { directives: { imgSrc: ["'self'"], 'img-src': ["'self'"] } },
      'img-src is given twice',
    ],
    ['bad report uri', { reportUri: '/csp report' }, 'reportUri: must be a path or URL'],
    [
      'missing default-src',
      { directives: { defaultSrc: false } },
      'directives.default-src: is required',
    ],
    [
      'strict-dynamic without anchor',
      { nonce: false, strictDynamic: true },
      "strictDynamic: 'strict-dynamic' needs a nonce or a hash",
    ],
    ['unknown option', { nonces: true } as never, 'Unrecognized key'],
  ])('rejects %s with a message naming it', (_name, options, message) => {
    expect(errorOf(options)).toContain(message);
  });
});
