import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { expectPresetHeaders } from '../test/helpers.js';
import type { SecurityHeadersOptions } from './headers.js';
import { createSecurityHeaders, type HeaderTarget } from './security-headers.js';

function collect(options?: SecurityHeadersOptions) {
  const set = new Headers();
  const removed: string[] = [];
  const target: HeaderTarget = {
    setHeader: (name, value) => set.set(name, value),
    removeHeader: (name) => removed.push(name),
  };
  const nonce = createSecurityHeaders(options).apply(target);
  return { headers: set, removed, nonce };
}

const errorOf = (options: unknown): string => {
  try {
    createSecurityHeaders(options as SecurityHeadersOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('createSecurityHeaders', () => {
  it.each(['html', 'api', 'dev'] as const)('sends exactly the %s preset', (preset) => {
    const { headers, removed, nonce } = collect({ preset });
    expect(expectPresetHeaders(headers, preset)).toBe(nonce);
    expect(removed).toEqual(['X-Powered-By']);
  });

  it('defaults to the html preset', () => {
    const { headers } = collect();
    expectPresetHeaders(headers, 'html');
  });

  it('computes static values once and only renews the nonce', () => {
    const engine = createSecurityHeaders();
    const a = engine.forResponse();
    const b = engine.forResponse();
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.headers.slice(1)).toEqual(b.headers.slice(1));
    expect(engine.headers.some(([name]) => name === 'Content-Security-Policy')).toBe(false);
    expect(a.headers[0]?.[1]).toContain(`'nonce-${a.nonce}'`);
  });

  it('keeps a nonce-free CSP in the static set', () => {
    const engine = createSecurityHeaders({ preset: 'api' });
    expect(engine.usesNonce).toBe(false);
    expect(engine.headers[0]?.[0]).toBe('Content-Security-Policy');
    expect(engine.forResponse().nonce).toBeUndefined();
  });

  it.each<[keyof SecurityHeadersOptions, string]>([
    ['contentSecurityPolicy', 'content-security-policy'],
    ['crossOriginOpenerPolicy', 'cross-origin-opener-policy'],
    ['crossOriginResourcePolicy', 'cross-origin-resource-policy'],
    ['originAgentCluster', 'origin-agent-cluster'],
    ['referrerPolicy', 'referrer-policy'],
    ['strictTransportSecurity', 'strict-transport-security'],
    ['xContentTypeOptions', 'x-content-type-options'],
    ['xDnsPrefetchControl', 'x-dns-prefetch-control'],
    ['xDownloadOptions', 'x-download-options'],
    ['xFrameOptions', 'x-frame-options'],
    ['xPermittedCrossDomainPolicies', 'x-permitted-cross-domain-policies'],
    ['xXssProtection', 'x-xss-protection'],
    ['permissionsPolicy', 'permissions-policy'],
    ['cacheControl', 'cache-control'],
  ])('turns %s off with false', (option, header) => {
    const { headers } = collect({ preset: 'api', [option]: false });
    expect(headers.has(header)).toBe(false);
    expect(headers.has('x-content-type-options') || option === 'xContentTypeOptions').toBe(true);
  });

  it('keeps X-Powered-By when asked', () => {
    expect(collect({ removePoweredBy: false }).removed).toEqual([]);
  });

  it('configures each header', () => {
    const { headers } = collect({
      contentSecurityPolicy: { reportUri: '/csp-report' },
      crossOriginEmbedderPolicy: 'require-corp',
      crossOriginOpenerPolicy: 'same-origin-allow-popups',
      crossOriginResourcePolicy: 'same-site',
      referrerPolicy: ['origin', 'strict-origin-when-cross-origin'],
      strictTransportSecurity: { maxAge: 63072000, preload: true },
      xDnsPrefetchControl: 'on',
      xFrameOptions: 'DENY',
      xPermittedCrossDomainPolicies: 'master-only',
      permissionsPolicy: { useDefaults: false, features: { geolocation: 'self' } },
      cacheControl: 'private, max-age=60',
    });
    expect(headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    expect(headers.get('cross-origin-resource-policy')).toBe('same-site');
    expect(headers.get('referrer-policy')).toBe('origin,strict-origin-when-cross-origin');
    expect(headers.get('strict-transport-security')).toBe(
      'max-age=63072000; includeSubDomains; preload',
    );
    expect(headers.get('x-dns-prefetch-control')).toBe('on');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-permitted-cross-domain-policies')).toBe('master-only');
    expect(headers.get('permissions-policy')).toBe('geolocation=(self)');
    expect(headers.get('cache-control')).toBe('private, max-age=60');
    expect(headers.get('reporting-endpoints')).toBe('csp-endpoint="/csp-report"');
    expect(headers.get('content-security-policy')).toContain(
      ';report-uri /csp-report;report-to csp-endpoint',
    );
  });

  it('adds HSTS to a preset without it when configured', () => {
    const { headers } = collect({ preset: 'dev', strictTransportSecurity: { maxAge: 600 } });
    expect(headers.get('strict-transport-security')).toBe('max-age=600; includeSubDomains');
  });

  it.each<[string, unknown, string]>([
    [
      'non-numeric max-age',
      { strictTransportSecurity: { maxAge: '1y' } },
      'strictTransportSecurity.maxAge: Strict-Transport-Security max-age must be a number',
    ],
    [
      'negative max-age',
      { strictTransportSecurity: { maxAge: -1 } },
      'max-age must not be negative',
    ],
    [
      'preload without a year',
      { strictTransportSecurity: { maxAge: 600, preload: true } },
      'strictTransportSecurity.preload: Strict-Transport-Security preload needs',
    ],
    [
      'misspelt HSTS option',
      { strictTransportSecurity: { maxage: 600 } },
      'Unrecognized key: "maxage"',
    ],
    [
      'bad X-Frame-Options',
      { xFrameOptions: 'ALLOW-FROM x' },
      'xFrameOptions: X-Frame-Options must be false or one of "DENY", "SAMEORIGIN"',
    ],
    [
      'bad COOP',
      { crossOriginOpenerPolicy: 'same-site' },
      'Cross-Origin-Opener-Policy must be false or one of',
    ],
    [
      'bad referrer token',
      { referrerPolicy: ['no-referrer', 'nope'] },
      'referrerPolicy.1: Referrer-Policy must be one of',
    ],
    [
      'repeated referrer token',
      { referrerPolicy: ['origin', 'origin'] },
      'Referrer-Policy tokens must not repeat',
    ],
    [
      'unquoted self',
      { contentSecurityPolicy: { directives: { scriptSrc: ['self'] } } },
      'contentSecurityPolicy.directives.scriptSrc: script-src: keyword self must be quoted',
    ],
    [
      'unknown directive',
      { contentSecurityPolicy: { directives: { 'script-source': [] } } },
      'unknown CSP directive "script-source"',
    ],
    [
      'unknown feature',
      { permissionsPolicy: { features: { webcam: 'none' } } },
      'permissionsPolicy.features.webcam: unknown Permissions-Policy feature',
    ],
    ['unknown option', { hsts: false }, 'Unrecognized key: "hsts"'],
    ['unknown preset', { preset: 'strict' }, 'preset:'],
    [
      'header injection',
      { cacheControl: 'no-store\r\nSet-Cookie: a=b' },
      'Cache-Control must be printable ASCII',
    ],
  ])('rejects %s naming the header', (_name, options, message) => {
    expect(errorOf(options)).toContain(message);
  });

  it('names every bad field at once', () => {
    const message = errorOf({ xFrameOptions: 'x', strictTransportSecurity: { maxAge: 'x' } });
    expect(message).toMatch(/^Invalid securityHeaders options:\n {2}- /);
    expect(message).toContain('xFrameOptions');
    expect(message).toContain('strictTransportSecurity.maxAge');
  });
});
