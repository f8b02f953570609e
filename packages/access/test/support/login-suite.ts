import { createHmac } from 'node:crypto';
import { getContext, jsonAnswer } from '@platform/core';
import { type RecordingMetrics, recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoginIdentity, type OidcLogin, oidcLogin } from '../../src/index.js';
import { Browser } from './browser.js';
import { type DemoIdentityProvider, startIdentityProvider } from './identity-provider.js';

export const SECRET = 'test-cookie-secret-0123456789abcdef-0123';
const COOKIE = 'platform-oidc';

/** An app under test: where it listens, and (for Next) the Fetch handler standing in for it. */
export interface ServedApp {
  base: string;
  handle?: (request: Request) => Promise<Response>;
  /** True when the app opens core's request context (the callback fills its actor). */
  context?: boolean;
  close(): Promise<void>;
}

/** Mounts `/auth/login` and `/auth/callback` from `auth()`, read at request time. */
export type Serve = (auth: () => OidcLogin) => Promise<ServedApp>;

/** Re-signs a flow cookie after `change` edited its payload: what only a key holder can do. */
export function resign(value: string, change: Record<string, string | undefined>): string {
  const flow = {
    ...JSON.parse(Buffer.from(value.split('.')[0] as string, 'base64url').toString()),
    ...change,
  };
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
}

async function problem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await response.json();
  expect(body).toMatchObject({ status, code });
  expect(body).not.toHaveProperty('identity');
  return body;
}

/**
 * The end-to-end login suite, run once per framework against a real OpenID Provider on
 * loopback: success, provisioning once, and each forged or replayed step refused.
 */
export function loginSuite(framework: string, serve: Serve): void {
  describe(`OIDC login through ${framework}`, () => {
    let idp: DemoIdentityProvider;
    let app: ServedApp;
    let auth: OidcLogin;
    const firstLogins: string[] = [];
    const logins: LoginIdentity[] = [];
    const actors: (string | undefined)[] = [];
    const lines: string[] = [];
    const log = (fields: object, message?: string) =>
      void lines.push(JSON.stringify({ ...fields, message }));
    const secrets = new Set<string>();
    const browser = () => {
      const b = new Browser(app.handle && { origin: app.base, handle: app.handle });
      const request = b.request.bind(b);
      // remember every code and cookie the flows carried, to look for them in the logs
      b.request = (url, init) => {
        const code = new URL(url).searchParams.get('code');
        if (code) secrets.add(code);
        for (const value of b.jar.values()) secrets.add(value);
        return request(url, init);
      };
      return b;
    };

    let metrics: RecordingMetrics;

    beforeAll(async () => {
      metrics = recordingMetrics();
      idp = await startIdentityProvider({
        alice: {
          sub: 'alice',
          name: 'Alice',
          email: 'alice@example.com',
          roles: ['operator'],
          tenant: 'acme',
        },
      });
      app = await serve(() => auth);
      const redirectUri = `${app.base}/auth/callback`;
      idp.allowRedirect(redirectUri);
      auth = oidcLogin({
        provider: {
          id: 'demo',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          scopes: ['openid', 'profile', 'email', 'roles'],
        },
        redirectUri,
        secrets: [SECRET],
        cookie: { secure: false },
        logger: { error: log, warn: log, info: log, debug: log },
        onFirstLogin: (identity) => void firstLogins.push(identity.actor.id),
        onLogin: (identity, _claims, { returnTo }) => {
          logins.push(identity);
          actors.push(getContext()?.actor?.id);
          // the host's own session cookie rides along with the flow cookie's removal
          return {
            ...jsonAnswer(200, { identity, returnTo }),
            cookies: ['app-session=s1; Path=/; HttpOnly'],
          };
        },
      });
    });
    afterAll(async () => {
      metrics?.restore();
      await app?.close();
      await idp?.close();
    });

    it('signs in with PKCE, maps the claims and provisions the subject once', async () => {
      for (const round of [1, 2]) {
        const b = browser();
        const callback = await b.signIn(`${app.base}/auth/login?returnTo=/dash%3Ftab%3D1`, 'alice');
        expect(b.jar.has(COOKIE)).toBe(true);
        const response = await b.request(callback);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.getSetCookie()).toEqual([
          'platform-oidc=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
          'app-session=s1; Path=/; HttpOnly',
        ]);
        expect(b.jar.has(COOKIE)).toBe(false);
        expect(b.jar.get('app-session')).toBe('s1');
        expect(await response.json()).toEqual({
          identity: {
            actor: { type: 'user', id: 'alice', roles: ['operator'], name: 'Alice' },
            tenant: 'acme',
          },
          returnTo: '/dash?tab=1',
        });
        expect(firstLogins).toEqual(['alice']);
        expect(logins).toHaveLength(round);
        expect(actors.at(-1)).toBe(app.context ? 'alice' : undefined);
      }
    });

    it('sets a short-lived HttpOnly SameSite=Lax cookie and sends an S256 challenge', async () => {
      const response = await browser().request(`${app.base}/auth/login`);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') as string);
      expect(location.origin).toBe(idp.issuer);
      expect(location.searchParams.get('code_challenge_method')).toBe('S256');
      expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(location.searchParams.get('nonce')).toBeTruthy();
      expect(response.headers.get('set-cookie')).toMatch(
        /^platform-oidc=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/,
      );
    });

    it('refuses a tampered state', async () => {
      const b = browser();
      const callback = new URL(await b.signIn(`${app.base}/auth/login`, 'alice'));
      callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      await problem(await b.request(callback.href), 400, 'oidc_state');
    });

    it('refuses a missing or tampered cookie', async () => {
      const b = browser();
      const callback = await b.signIn(`${app.base}/auth/login`, 'alice');
      const sealed = b.jar.get(COOKIE) as string;
      b.jar.delete(COOKIE);
      await problem(await b.request(callback), 400, 'oidc_cookie_missing');
      const [payload, mac] = sealed.split('.') as [string, string];
      const flipped = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}`;
      b.jar.set(COOKIE, `${flipped}.${mac}`);
      await problem(await b.request(callback), 400, 'oidc_cookie_invalid');
      b.jar.set(
        COOKIE,
        `${payload}.${createHmac('sha256', 'another-key-0123456789abcdef-0123456').update(payload).digest('base64url')}`,
      );
      await problem(await b.request(callback), 400, 'oidc_cookie_invalid');
    });

    it('refuses a replayed authorization code', async () => {
      const b = browser();
      const callback = await b.signIn(`${app.base}/auth/login`, 'alice');
      const sealed = b.jar.get(COOKIE) as string;
      expect((await b.request(callback)).status).toBe(200);
      const before = logins.length;
      b.jar.set(COOKIE, sealed);
      await problem(await b.request(callback), 401, 'oidc_exchange');
      expect(logins).toHaveLength(before);
    });

    it('refuses a wrong PKCE verifier and a wrong nonce, even in a validly signed cookie', async () => {
      for (const change of [{ v: 'a'.repeat(43) }, { n: 'b'.repeat(43) }]) {
        const b = browser();
        const callback = await b.signIn(`${app.base}/auth/login`, 'alice');
        b.jar.set(COOKIE, resign(b.jar.get(COOKIE) as string, change));
        const before = logins.length;
        await problem(await b.request(callback), 401, 'oidc_exchange');
        expect(logins).toHaveLength(before);
      }
    });

    it('refuses open redirects at login', async () => {
      for (const target of [
        '//evil.example/x',
        'https://evil.example',
        '/\\evil.example',
        'javascript:alert(1)',
      ]) {
        const response = await browser().request(
          `${app.base}/auth/login?returnTo=${encodeURIComponent(target)}`,
        );
        await problem(response, 400, 'oidc_return_to');
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    });

    it('logs the refusals without a secret, code or cookie value in any line', () => {
      expect(lines.some((l) => l.includes('oidc_exchange'))).toBe(true);
      secrets.add(SECRET).add(idp.clientSecret);
      for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
    });

    it('counts each outcome', () => {
      const count = (outcome: string) =>
        metrics.value('platform_access_oidc_logins_total', { provider: 'demo', outcome });
      expect(count('succeeded')).toBe(logins.length);
      expect(count('oidc_state')).toBe(1);
      expect(count('oidc_cookie_missing')).toBe(1);
      expect(count('oidc_cookie_invalid')).toBe(2);
      expect(count('oidc_exchange')).toBe(3);
      expect(count('oidc_return_to')).toBe(4);
      expect(count('started')).toBe(8); // every login above, the refused returnTo ones excluded
    });

    it('reports a login the user aborted at the provider as 401', async () => {
      const b = browser();
      const first = await b.follow(`${app.base}/auth/login`);
      const abort = await b.follow(`${first.url}/abort`, (u) => u.pathname === '/auth/callback');
      await problem(await b.request(abort.url), 401, 'oidc_provider_error');
    });
  });
}
