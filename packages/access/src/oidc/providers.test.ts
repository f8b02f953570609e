import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { githubProvider, googleProvider, microsoftProvider } from './providers.js';

const credentials = { clientId: 'id', clientSecret: 'secret' };

describe('provider presets', () => {
  it('Google is OpenID Connect at accounts.google.com', () => {
    expect(googleProvider(credentials)).toEqual({
      id: 'google',
      issuer: 'https://accounts.google.com',
      scopes: ['openid', 'email', 'profile'],
      clientId: 'id',
      clientSecret: 'secret',
    });
    expect(googleProvider({ ...credentials, scopes: ['openid'] }).scopes).toEqual(['openid']);
  });

  it('Microsoft uses the tenant-specific v2.0 issuer and refuses multi-tenant aliases', () => {
    const tenant = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const provider = microsoftProvider({ ...credentials, tenant });
    expect(provider.issuer).toBe(`https://login.microsoftonline.com/${tenant}/v2.0`);
    expect(provider).not.toHaveProperty('tenant');
    expect(provider.oauth2).toBeUndefined();
    for (const bad of ['common', 'Organizations', 'consumers', 'a/b', '']) {
      expect(() => microsoftProvider({ ...credentials, tenant: bad })).toThrow(ConfigError);
    }
  });

  it('GitHub is OAuth2 only: fixed endpoints, profile API, no openid scope', () => {
    const provider = githubProvider(credentials);
    expect(provider.issuer).toBe('https://github.com');
    expect(provider.scopes).toEqual(['read:user', 'user:email']);
    expect(provider.oauth2).toMatchObject({
      authorizationEndpoint: 'https://github.com/login/oauth/authorize',
      tokenEndpoint: 'https://github.com/login/oauth/access_token',
    });
    const enterprise = githubProvider({
      ...credentials,
      webBase: 'https://git.corp.example',
      apiBase: 'https://git.corp.example/api/v3',
    });
    expect(enterprise.oauth2?.tokenEndpoint).toBe(
      'https://git.corp.example/login/oauth/access_token',
    );
  });
});
