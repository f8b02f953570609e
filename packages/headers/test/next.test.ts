import { requestIdForProxy } from '@platform/core/next';
import { getScriptNonceFromHeaders } from 'next/dist/server/app-render/get-script-nonce-from-header.js';
import { describe, expect, it, vi } from 'vitest';
import type { CspViolation } from '../src/index.js';
import { cspReportRoute, nextSecurityHeaders, securityHeadersForProxy } from '../src/next.js';
import { PRESET_HEADERS } from './helpers.js';

const request = (headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1:3000/', { headers });

describe('nextSecurityHeaders', () => {
  it('returns the static set for next.config, leaving the nonce CSP to proxy.ts', () => {
    const [rule, ...rest] = nextSecurityHeaders({ preset: 'html' });
    expect(rest).toEqual([]);
    expect(rule?.source).toBe('/:path*');
    const { 'content-security-policy': _csp, ...expected } = PRESET_HEADERS.html;
    expect(
      Object.fromEntries(rule?.headers.map((h) => [h.key.toLowerCase(), h.value]) ?? []),
    ).toEqual(expected);
  });

  it('includes a CSP that has no nonce', () => {
    const [rule] = nextSecurityHeaders(
      { preset: 'api' },
      { source: '/api/:path*', onWarning: () => {} },
    );
    expect(rule?.source).toBe('/api/:path*');
    expect(rule?.headers).toContainEqual({
      key: 'Content-Security-Policy',
      value: PRESET_HEADERS.api['content-security-policy'],
    });
  });
});

describe('securityHeadersForProxy', () => {
  it('sets the nonce CSP on the forwarded request and the response, and passes x-nonce', () => {
    const secure = securityHeadersForProxy({ onWarning: () => {} });
    const { nonce, requestHeaders, responseHeaders } = secure(request({ cookie: 'a=b' }));
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(requestHeaders.get('x-nonce')).toBe(nonce);
    expect(requestHeaders.get('cookie')).toBe('a=b');
    expect(responseHeaders.get('content-security-policy')).toBe(
      requestHeaders.get('content-security-policy'),
    );
    expect(responseHeaders.get('content-security-policy')).toMatch(
      PRESET_HEADERS.html['content-security-policy'] as RegExp,
    );
    expect([...responseHeaders.keys()]).toEqual(['content-security-policy']);
    // Next renders its own scripts with the nonce it finds in the request's CSP.
    expect(getScriptNonceFromHeaders(Object.fromEntries(requestHeaders))).toBe(nonce);
  });

  it('renews the nonce on every request', () => {
    const secure = securityHeadersForProxy({ onWarning: () => {} });
    const nonces = new Set(Array.from({ length: 10 }, () => secure(request()).nonce));
    expect(nonces.size).toBe(10);
  });

  it('sends every header with include: all', () => {
    const secure = securityHeadersForProxy({ include: 'all', onWarning: () => {} });
    const { responseHeaders } = secure(request());
    expect([...responseHeaders.keys()].sort()).toEqual(Object.keys(PRESET_HEADERS.html).sort());
  });

  it('sends Reporting-Endpoints with the CSP it belongs to', () => {
    const options = { contentSecurityPolicy: { reportUri: '/csp-report' } };
    const [rule] = nextSecurityHeaders(options, { onWarning: () => {} });
    expect(rule?.headers.map((h) => h.key)).not.toContain('Reporting-Endpoints');
    const { responseHeaders } = securityHeadersForProxy({ ...options, onWarning: () => {} })(
      request(),
    );
    expect(responseHeaders.get('reporting-endpoints')).toBe('csp-endpoint="/csp-report"');
    expect(responseHeaders.get('content-security-policy')).toContain('report-to csp-endpoint');
  });

  it('never forwards a nonce or policy the client sent', () => {
    const spoofed = request({
      'x-nonce': 'attacker',
      'content-security-policy': "script-src 'nonce-attacker'",
    });
    const api = securityHeadersForProxy({ preset: 'api', onWarning: () => {} })(spoofed);
    expect(api.requestHeaders.has('x-nonce')).toBe(false);
    expect(api.requestHeaders.get('content-security-policy')).not.toContain('attacker');
    const html = securityHeadersForProxy({ onWarning: () => {} })(spoofed);
    expect(html.requestHeaders.get('x-nonce')).toBe(html.nonce);
    expect(getScriptNonceFromHeaders(Object.fromEntries(html.requestHeaders))).toBe(html.nonce);
  });

  it('chains with the request id helper', () => {
    const ids = requestIdForProxy();
    const secure = securityHeadersForProxy({ onWarning: () => {} });
    const incoming = request({ 'x-request-id': 'abc-123' });
    const { requestHeaders } = secure(incoming, ids(incoming).requestHeaders);
    expect(requestHeaders.get('x-request-id')).toBe('abc-123');
    expect(requestHeaders.get('x-nonce')).toBeTruthy();
  });

  it('warns once when a static CSP and a nonce CSP would both be sent', async () => {
    // A fresh process-wide registry, as in a newly started server.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('@platform/headers.next')];
    vi.resetModules();
    const fresh = await import('../src/next.js');
    const onWarning = vi.fn();
    fresh.nextSecurityHeaders({ preset: 'html' }, { onWarning });
    fresh.securityHeadersForProxy({ onWarning });
    expect(onWarning).not.toHaveBeenCalled();
    fresh.nextSecurityHeaders({ contentSecurityPolicy: { nonce: false } }, { onWarning });
    fresh.securityHeadersForProxy({ onWarning });
    fresh.nextSecurityHeaders({ contentSecurityPolicy: { nonce: false } }, { onWarning });
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toContain('would both be sent');
  });
});

describe('cspReportRoute', () => {
  const post = (type: string, body: string, headers: Record<string, string> = {}) =>
    new Request('http://127.0.0.1:3000/csp-report', {
      method: 'POST',
      headers: { 'content-type': type, ...headers },
      body,
    });
  const report = JSON.stringify({
    'csp-report': {
      'document-uri': 'http://127.0.0.1:3000/',
      'effective-directive': 'script-src-elem',
    },
  });

  it('receives a report inside a request context', async () => {
    const events: CspViolation[] = [];
    const POST = cspReportRoute({ onViolation: (v) => events.push(v) });
    const res = await POST(post('application/csp-report', report, { 'x-request-id': 'next-1' }));
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toBe('next-1');
    POST.receiver.flush();
    expect(events[0]).toMatchObject({ requestId: 'next-1', effectiveDirective: 'script-src-elem' });
    expect(POST.receiver.stats().violations).toBe(1);
  });

  it('bounds and validates the body', async () => {
    const POST = cspReportRoute({ onViolation: () => {}, maxBodyBytes: 1024 });
    expect((await POST(post('application/csp-report', 'x'.repeat(2048)))).status).toBe(413);
    expect((await POST(post('application/reports+json', '{'))).status).toBe(400);
    expect((await POST(post('text/plain', 'x'))).status).toBe(415);
  });
});
