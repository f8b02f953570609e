import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonAnswer } from '@platform/core';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcRoutes } from '../src/express.js';
import { githubProvider, oidcLogin } from '../src/index.js';
import { Browser } from './support/browser.js';
import { startFakeGitHub } from './support/github.js';
import { resign, SECRET } from './support/login-suite.js';

const COOKIE = 'platform-oidc';
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let server: Server;
let base: string;

beforeAll(async () => {
  github = await startFakeGitHub('gh-client', 'gh-secret');
  const app = express();
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const routes = oidcRoutes(
    oidcLogin({
      provider: githubProvider({
        clientId: 'gh-client',
        clientSecret: 'gh-secret',
        webBase: github.base,
        apiBase: `${github.base}/api`,
      }),
      redirectUri: `${base}/auth/callback`,
      secrets: [SECRET],
      cookie: { secure: false },
      logger: { error() {}, warn() {}, info() {}, debug() {} },
      onLogin: (identity, claims) => jsonAnswer(200, { identity, email: claims.email }),
    }),
  );
  app.get('/auth/login', routes.login);
  app.get('/auth/callback', routes.callback);
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await github?.close();
});

async function toCallback(b: Browser): Promise<string> {
  return (await b.follow(`${base}/auth/login`, (u) => u.pathname === '/auth/callback')).url;
}

describe('GitHub (OAuth2 only) login', () => {
  it('signs in with PKCE and no nonce, reading the profile from the API', async () => {
    const b = new Browser();
    const login = await b.request(`${base}/auth/login`);
    const authorize = new URL(login.headers.get('location') as string);
    expect(authorize.searchParams.get('nonce')).toBeNull();
    expect(authorize.searchParams.get('scope')).toBe('read:user user:email');
    const callback = await toCallback(b);
    const response = await b.request(callback);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      identity: { actor: { type: 'user', id: '4242', roles: [], name: 'Octo Cat' } },
      email: 'octo@example.com',
    });
  });

  it('refuses a wrong PKCE verifier and a replayed code with 401', async () => {
    const b = new Browser();
    const callback = await toCallback(b);
    const sealed = b.jar.get(COOKIE) as string;
    b.jar.set(COOKIE, resign(sealed, { v: 'w'.repeat(43) }));
    const wrong = await b.request(callback);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'oidc_exchange' });

    const c = new Browser();
    const fresh = await toCallback(c);
    const kept = c.jar.get(COOKIE) as string;
    expect((await c.request(fresh)).status).toBe(200);
    c.jar.set(COOKIE, kept);
    const replay = await c.request(fresh);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: 'oidc_exchange' });
  });
});
