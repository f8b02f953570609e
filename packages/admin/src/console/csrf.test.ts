import { neutralRequest } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { CSRF_HEADER, csrfGuard } from './csrf.js';

const alice = { actor: 'alice', roles: ['admin'] };
const request = (headers: Record<string, string>) =>
  neutralRequest({
    method: 'POST',
    url: '/admin/api/flags/x/toggle',
    header: (name) => headers[name.toLowerCase()],
  });

describe('csrfGuard', () => {
  const guard = csrfGuard({ secret: 'k', origins: ['https://app.example.com'] });
  const token = guard.issue(alice, 1_000);
  const host = { host: 'admin.example.com', 'x-forwarded-proto': 'https' };

  it('accepts its own token from its own origin, same-origin', () => {
    const r = request({
      ...host,
      origin: 'https://admin.example.com',
      'sec-fetch-site': 'same-origin',
      [CSRF_HEADER]: token,
    });
    expect(guard.refuse(r, alice, 2_000)).toBeUndefined();
  });

  it('accepts a listed origin even though the browser calls it same-site', () => {
    const r = request({
      ...host,
      origin: 'https://app.example.com',
      'sec-fetch-site': 'same-site',
      [CSRF_HEADER]: token,
    });
    expect(guard.refuse(r, alice, 2_000)).toBeUndefined();
  });

  it('refuses a tampered, foreign, expired or another tenant’s token', () => {
    const [expires, sig = ''] = token.split('.');
    const flipped = `${expires}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(guard.refuse(request({ ...host, [CSRF_HEADER]: flipped }), alice, 2_000)).toMatch(
      /invalid/,
    );
    expect(guard.refuse(request({ ...host, [CSRF_HEADER]: token }), alice, 13 * 3_600_000)).toMatch(
      /expired/,
    );
    const other = csrfGuard({ secret: 'other' });
    expect(other.refuse(request({ ...host, [CSRF_HEADER]: token }), alice, 2_000)).toMatch(
      /invalid/,
    );
    const scoped = { ...alice, tenant: 'acme' };
    expect(guard.refuse(request({ ...host, [CSRF_HEADER]: token }), scoped, 2_000)).toMatch(
      /invalid/,
    );
  });

  it('refuses a cross-site request or an unlisted origin before looking at the token', () => {
    expect(
      guard.refuse(
        request({ ...host, 'sec-fetch-site': 'cross-site', [CSRF_HEADER]: token }),
        alice,
        2_000,
      ),
    ).toMatch(/cross-site/);
    expect(
      guard.refuse(
        request({ ...host, origin: 'https://evil.example', [CSRF_HEADER]: token }),
        alice,
        2_000,
      ),
    ).toMatch(/foreign origin/);
  });
});
