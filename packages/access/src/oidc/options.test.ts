import { ConfigError, neutralRequest } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { type OidcLoginOptions, oidcLogin } from './index.js';

const base: OidcLoginOptions = {
  provider: { id: 'demo', issuer: 'https://idp.example', clientId: 'app', scopes: ['openid'] },
  redirectUri: 'https://app.example/auth/callback',
  secrets: ['s'.repeat(32)],
};

function issues(options: OidcLoginOptions): string[] {
  try {
    oidcLogin(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => i.path);
  }
  return [];
}

describe('oidcLogin options', () => {
  it('accepts a minimal configuration', () => {
    expect(issues(base)).toEqual([]);
  });

  it('names each bad field', () => {
    expect(issues({ ...base, secrets: ['short'] })).toEqual(['secrets.0']);
    expect(issues({ ...base, secrets: [] })).toEqual(['secrets']);
    expect(issues({ ...base, redirectUri: 'not a url' })).toEqual(['redirectUri']);
    expect(issues({ ...base, provider: { ...base.provider, scopes: [] } })).toEqual([
      'provider.scopes',
    ]);
    expect(issues({ ...base, defaultReturnTo: '//evil.example' })).toEqual(['defaultReturnTo']);
  });

  it('allows an insecure cookie only for a loopback http redirect', () => {
    expect(issues({ ...base, cookie: { secure: false } })).toEqual(['cookie.secure']);
    expect(
      issues({
        ...base,
        redirectUri: 'http://localhost:3000/auth/callback',
        cookie: { secure: false },
      }),
    ).toEqual([]);
    expect(
      issues({ ...base, redirectUri: 'http://127.0.0.1:3000/cb', cookie: { secure: false } }),
    ).toEqual([]);
  });

  it('answers 502 problem+json, sets no cookie, when the provider cannot be discovered', async () => {
    const auth = oidcLogin({
      ...base,
      provider: { ...base.provider, issuer: 'http://127.0.0.1:9' },
      timeout: 2,
      logger: { error() {}, warn() {}, info() {}, debug() {} },
    });
    const answer = await auth.login(
      neutralRequest({ method: 'GET', url: '/auth/login', header: () => undefined }),
    );
    expect(answer?.status).toBe(502);
    expect(answer?.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer?.body as string)).toMatchObject({ code: 'oidc_provider_unreachable' });
    expect(answer?.cookies).toBeUndefined();
  });
});
