import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartExample, signedIn } from './access-suite.js';
import { type RunningApp, stopAll } from './harness.js';

const CONSOLE = '/admin/console';

/**
 * The admin console an example mounts at /admin/console (examples/shared/admin-console.ts),
 * reached with real sessions from the demo login: shared by every framework's example.
 */
export function describeAdminConsole(start: StartExample): void {
  describe('the admin console at /admin/console', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await start({
        NODE_ENV: 'development',
        DEMO_HEADER_AUTH: 'off',
        PLATFORM_AUDIT_STORE: 'memory',
      });
    });
    afterAll(stopAll);

    const api = (path: string) => `${app.url}${CONSOLE}/api/${path}`;

    it('answers 401 without a session, even to forged demo headers', async () => {
      const forged: Record<string, string> = { 'x-user-id': 'root', 'x-user-role': 'admin' };
      for (const headers of [{}, forged]) {
        const res = await fetch(api('session'), { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    });

    it('gives each signed-in role what it may do: a viewer reads flags, cannot toggle or read the audit log', async () => {
      const viewer = await signedIn(app, 'viewer');
      const session = await viewer.request(api('session'));
      expect(session.status).toBe(200);
      const { role, csrf } = (await session.json()) as {
        role: string;
        csrf: { header: string; token: string };
      };
      expect(role).toBe('viewer');
      expect((await viewer.request(api('flags'))).status).toBe(200);
      const toggle = await viewer.request(api('flags/betaReports/toggle'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [csrf.header]: csrf.token },
        body: JSON.stringify({ enabled: true }),
      });
      expect(toggle.status).toBe(403);
      expect((await viewer.request(api('audit/events'))).status).toBe(403);
    });

    it('lets an operator toggle a flag with the CSRF token (refused without it), recorded with the operator as actor', async () => {
      const operator = await signedIn(app, 'operator');
      const { csrf } = (await (await operator.request(api('session'))).json()) as {
        csrf: { header: string; token: string };
      };
      const body = JSON.stringify({ enabled: false });
      const forged = await operator.request(api('flags/betaReports/toggle'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(forged.status).toBe(403);
      const toggled = await operator.request(api('flags/betaReports/toggle'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [csrf.header]: csrf.token },
        body,
      });
      expect(toggled.status).toBe(200);
      await toggled.body?.cancel();

      const admin = await signedIn(app, 'admin');
      let events: Array<{ action: string; actor: { id: string } }> = [];
      for (let i = 0; i < 50 && events.length === 0; i++) {
        const res = await admin.request(api('audit/events?action=admin.flag.toggle'));
        expect(res.status).toBe(200);
        events = ((await res.json()) as { events: typeof events }).events;
        if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(events.some((e) => e.actor.id === 'operator')).toBe(true);
    });
  });
}
