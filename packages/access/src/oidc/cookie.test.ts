import { describe, expect, it } from 'vitest';
import {
  clearFlowCookie,
  type FlowState,
  flowCookie,
  openFlow,
  readCookie,
  sealFlow,
} from './cookie.js';

const OLD = 'old-secret-0123456789abcdef-0123456789';
const NEW = 'new-secret-0123456789abcdef-0123456789';
const flow: FlowState = {
  state: 's'.repeat(43),
  nonce: 'n'.repeat(43),
  verifier: 'v'.repeat(43),
  returnTo: '/home',
  expires: Math.floor(Date.now() / 1000) + 600,
};

describe('flow cookie', () => {
  it('round-trips a sealed flow', () => {
    expect(openFlow(sealFlow(flow, [NEW]), [NEW])).toEqual(flow);
  });

  it('accepts a flow signed with an older key during rotation, refuses one no key signed', () => {
    const sealed = sealFlow(flow, [OLD]);
    expect(openFlow(sealed, [NEW, OLD])).toEqual(flow);
    expect(openFlow(sealed, [NEW])).toBe('invalid');
  });

  it('refuses expired, missing, oversized, unsigned and malformed values', () => {
    expect(openFlow(sealFlow({ ...flow, expires: 1 }, [NEW]), [NEW])).toBe('expired');
    expect(openFlow(undefined, [NEW])).toBe('missing');
    expect(openFlow('', [NEW])).toBe('missing');
    expect(openFlow(`${'a'.repeat(3000)}.x`, [NEW])).toBe('invalid');
    expect(openFlow('no-signature', [NEW])).toBe('invalid');
    expect(openFlow('.abc', [NEW])).toBe('invalid');
    const [payload] = sealFlow(flow, [NEW]).split('.');
    expect(openFlow(`${payload}.`, [NEW])).toBe('invalid');
  });

  it('refuses a correctly signed payload whose fields are not ours', async () => {
    const { createHmac } = await import('node:crypto');
    for (const body of ['null', '[]', '{"s":"short","v":"x","r":"/","e":1}', 'not json']) {
      const payload = Buffer.from(body).toString('base64url');
      const mac = createHmac('sha256', NEW).update(payload).digest('base64url');
      expect(openFlow(`${payload}.${mac}`, [NEW])).toBe('invalid');
    }
  });

  it('writes Secure only when asked and clears with Max-Age=0', () => {
    const secure = { name: '__Host-platform-oidc', secure: true, maxAge: 600 };
    expect(flowCookie(secure, 'v.m')).toBe(
      '__Host-platform-oidc=v.m; Path=/; Max-Age=600; HttpOnly; SameSite=Lax; Secure',
    );
    expect(clearFlowCookie({ ...secure, secure: false, name: 'x' })).toBe(
      'x=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
    );
  });

  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; platform-oidc=v.m; b=2', 'platform-oidc')).toBe('v.m');
    expect(readCookie('platform-oidc-x=1', 'platform-oidc')).toBeUndefined();
    expect(readCookie(undefined, 'platform-oidc')).toBeUndefined();
  });
});
