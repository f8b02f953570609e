import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './browser.js';
import { type RunningApp, stopAll } from './harness.js';

/** Starts the example with extra environment variables. */
export type StartExample = (env: Record<string, string>) => Promise<RunningApp>;

/** The rate limit the suite runs the example under, per user per minute on /api/*. */
const LIMIT = 6;

/** A browser that signed in at the example's `/auth/login` through the in-process IdP. */
export async function signedIn(app: RunningApp, user: string): Promise<Browser> {
  const browser = new Browser();
  const callback = await browser.signIn(`${app.url}/auth/login?returnTo=/api/whoami`, user);
  const landed = await browser.request(callback);
  expect(landed.status).toBe(303);
  expect(landed.headers.get('location')).toBe('/api/whoami');
  await landed.body?.cancel();
  return browser;
}

async function expectProblem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await res.json()).toMatchObject({ status, code });
}

/**
 * The examples' login, shared by every framework: a full OIDC login through the demo's
 * in-process identity provider issues a session, the session reaches protected routes, the
 * admin routes answer 401 without an identity and 403 to a viewer, and the rate limiter
 * keys on the signed-in user. Runs with `DEMO_HEADER_AUTH=off`, so headers prove nothing.
 */
export function describeAccessExample(start: StartExample, adminRoutes: readonly string[]): void {
  describe('login and roles (DEMO_HEADER_AUTH=off)', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await start({
        NODE_ENV: 'development',
        DEMO_HEADER_AUTH: 'off',
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
        PLATFORM_AUDIT_STORE: 'memory',
      });
    });
    afterAll(stopAll);

    it('prints how to log in', async () => {
      const help = `log in at ${app.url}/auth/login as admin | operator | viewer`;
      // Next prints it from instrumentation.ts, which may run once the first request came
      await (await fetch(`${app.url}/health`)).body?.cancel();
      for (let i = 0; i < 100 && !app.output().includes(help); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(app.output()).toContain(help);
    });

    it('logs in through the identity provider and the session becomes the request identity', async () => {
      const browser = await signedIn(app, 'admin');
      const cookies = browser.jar;
      expect(cookies.has('access_token') && cookies.has('refresh_token')).toBe(true);
      const res = await browser.request(`${app.url}/api/whoami`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        tenantId: 'acme',
        actor: { type: 'user', id: 'admin', roles: ['admin'], name: 'Ada Admin' },
      });
      // the same access token as a Bearer header, without cookies
      const bearer = await fetch(`${app.url}/api/whoami`, {
        headers: { authorization: `Bearer ${cookies.get('access_token')}` },
      });
      expect(((await bearer.json()) as { actor: { id: string } }).actor.id).toBe('admin');
    });

    it('sets the session cookies HttpOnly and SameSite', async () => {
      const browser = new Browser();
      const callback = await browser.signIn(`${app.url}/auth/login`, 'operator');
      const landed = await browser.request(callback);
      const set = landed.headers.getSetCookie();
      expect(set.find((c) => c.startsWith('access_token='))).toMatch(/HttpOnly; SameSite=Lax/);
      expect(set.find((c) => c.startsWith('refresh_token='))).toMatch(
        /Path=\/auth; .*HttpOnly; SameSite=Strict/,
      );
      expect(landed.headers.get('location')).toBe('/api/whoami'); // the default returnTo
    });

    it('guards the admin routes: 401 without identity, 403 for a viewer, 200 for an admin', async () => {
      for (const route of adminRoutes) {
        await expectProblem(await fetch(`${app.url}${route}`), 401, 'credentials_missing');
        // the demo headers are off: they grant nothing
        const forged = await fetch(`${app.url}${route}`, {
          headers: { 'x-user-id': 'root', 'x-user-role': 'admin' },
        });
        await expectProblem(forged, 401, 'credentials_missing');
      }
      const viewer = await signedIn(app, 'viewer');
      for (const route of adminRoutes)
        await expectProblem(await viewer.request(`${app.url}${route}`), 403, 'insufficient_role');
      const adminUser = await signedIn(app, 'admin');
      for (const route of adminRoutes) {
        const res = await adminUser.request(`${app.url}${route}`);
        expect(res.status, route).toBe(200);
        await res.body?.cancel();
      }
    });

    it.runIf(adminRoutes.includes('/api/admin/flags'))(
      "records a viewer's refused flags admin call in the audit trail, as the viewer",
      async () => {
        const viewer = await signedIn(app, 'viewer');
        const refused = await viewer.request(`${app.url}/api/admin/flags`, {
          headers: { 'x-request-id': 'refused-flags-admin' },
        });
        expect(refused.status).toBe(403);
        const adminUser = await signedIn(app, 'admin');
        let events: Record<string, unknown>[] = [];
        for (let i = 0; i < 50 && events.length === 0; i++) {
          const res = await adminUser.request(
            `${app.url}/api/audit/events?action=access.refused&requestId=refused-flags-admin`,
          );
          expect(res.status).toBe(200);
          events = ((await res.json()) as { events: Record<string, unknown>[] }).events;
          if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(events).toEqual([
          expect.objectContaining({
            outcome: 'failure',
            reason: 'insufficient_role role:admin',
            actor: expect.objectContaining({ id: 'viewer' }),
          }),
        ]);
      },
    );

    it('refreshes the session, and logout ends it at once', async () => {
      const browser = await signedIn(app, 'operator');
      const firstRefresh = browser.jar.get('refresh_token');
      const refreshed = await browser.request(`${app.url}/auth/refresh`, { method: 'POST' });
      expect(refreshed.status).toBe(200);
      // a new access token in the body, the rotated refresh token only in its cookie
      const pair = (await refreshed.json()) as { accessToken: string; refreshToken?: string };
      expect(pair.refreshToken).toBeUndefined();
      expect(browser.jar.get('refresh_token')).not.toBe(firstRefresh);
      const fresh = await fetch(`${app.url}/api/whoami`, {
        headers: { authorization: `Bearer ${pair.accessToken}` },
      });
      expect(((await fresh.json()) as { actor: { id: string } }).actor.id).toBe('operator');

      const stolen = browser.cookieHeader();
      const out = await browser.request(`${app.url}/auth/logout`, { method: 'POST' });
      expect(out.status).toBe(204);
      expect(browser.jar.has('access_token')).toBe(false);
      // the old cookies no longer work: the session is revoked, not only forgotten
      const replay = await fetch(`${app.url}/api/whoami`, { headers: { cookie: stolen } });
      await expectProblem(replay, 401, 'session_revoked');
      // ...while the logged-out browser is anonymous again, not refused
      expect((await browser.request(`${app.url}/api/items`)).status).toBe(200);
      // a revoked access cookie does not block a new login
      const again = await browser.signIn(`${app.url}/auth/login`, 'operator');
      browser.jar.set(
        'access_token',
        new URLSearchParams(stolen.replaceAll('; ', '&')).get('access_token') ?? '',
      );
      expect((await browser.request(again)).status).toBe(303);
      const me = await browser.request(`${app.url}/api/whoami`);
      expect(((await me.json()) as { actor: { id: string } }).actor.id).toBe('operator');
    });

    it('keys the rate limit on the signed-in user, not the address', async () => {
      const [first, second] = await Promise.all([signedIn(app, 'rl-a'), signedIn(app, 'rl-b')]);
      const statuses: number[] = [];
      for (let i = 0; i <= LIMIT; i++) {
        const res = await first.request(`${app.url}/api/items`);
        statuses.push(res.status);
        await res.body?.cancel();
      }
      expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
      expect(statuses[LIMIT]).toBe(429);
      // same address, another user: a fresh budget
      const other = await second.request(`${app.url}/api/items`);
      expect(other.status).toBe(200);
      expect(other.headers.get('ratelimit')).toMatch(new RegExp(`r=${LIMIT - 1}\\b`));
    });
  });
}
