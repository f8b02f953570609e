import { jsonAnswer } from '@platform/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { oidcLogin } from '../src/index.js';
import { oidcRoutes } from '../src/next.js';
import { Browser } from './support/browser.js';
import { type DemoIdentityProvider, startIdentityProvider } from './support/identity-provider.js';
import { SECRET } from './support/login-suite.js';

const origin = 'http://localhost:3998';
let idp: DemoIdentityProvider;

beforeAll(async () => {
  idp = await startIdentityProvider(
    { bob: { sub: 'bob', name: 'Bob', roles: ['admin'], tenant: 'globex' } },
    { slimIdToken: true },
  );
  idp.allowRedirect(`${origin}/auth/callback`);
});
afterAll(() => idp?.close());

async function signIn(userinfo: boolean): Promise<unknown> {
  const routes = oidcRoutes(
    oidcLogin({
      provider: {
        id: 'slim',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        scopes: ['openid', 'profile', 'roles'],
      },
      redirectUri: `${origin}/auth/callback`,
      secrets: [SECRET],
      cookie: { secure: false },
      userinfo,
      onLogin: (identity) => jsonAnswer(200, identity),
    }),
  );
  const browser = new Browser({
    origin,
    handle: (request) =>
      new URL(request.url).pathname === '/auth/login'
        ? routes.login(request)
        : routes.callback(request),
  });
  const response = await browser.request(await browser.signIn(`${origin}/auth/login`, 'bob'));
  expect(response.status).toBe(200);
  return response.json();
}

it('reads the UserInfo endpoint when the ID token is slim and `userinfo` is on', async () => {
  expect(await signIn(false)).toEqual({ actor: { type: 'user', id: 'bob', roles: [] } });
  expect(await signIn(true)).toEqual({
    actor: { type: 'user', id: 'bob', roles: ['admin'], name: 'Bob' },
    tenant: 'globex',
  });
});
