import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, stack } from './support.js';

type Stack = Awaited<ReturnType<typeof stack>>;
/** Starts a server with the console of `s` mounted at `/admin`; resolves its origin and a stop. */
export type Start = (s: Stack) => Promise<{ origin: string; stop: () => Promise<void> }>;

interface Event {
  action: string;
  outcome: string;
  actor: { id: string };
  tenantId: string;
  targets: { id: string }[];
}

/** The role matrix of the console, run against one framework binding on a real server. */
export function roleSuite(name: string, start: Start) {
  describe(`${name}: roles, tenant scoping and CSRF`, () => {
    let s: Stack;
    let base: string;
    let stop: () => Promise<void>;
    const as = (who?: string) => client(base, who);
    const events = async () => {
      await s.trail.flush();
      return (await s.trail.search({ limit: 100 })).events as unknown as Event[];
    };

    beforeAll(async () => {
      s = await stack();
      const server = await start(s);
      base = `${server.origin}/admin`;
      stop = server.stop;
    });
    afterAll(async () => {
      await stop();
      await s.close();
    });

    it('serves the UI page (after a redirect from the bare mount point) and its assets', async () => {
      const bare = await fetch(base, { redirect: 'manual' });
      expect(bare.status).toBe(308);
      const page = await fetch(base);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("'strict-dynamic'");
      expect(await page.text()).toContain('src="assets/app.js"');
      const js = await fetch(`${base}/assets/app.js`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('text/javascript');
    });

    it('answers 401 problem+json without a principal', async () => {
      const r = await as().get('flags');
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    });

    it('answers 403 to a principal with no console role', async () => {
      const r = await as('mallory:customer').get('flags');
      expect(r.status).toBe(403);
      expect(((await r.json()) as { detail: string }).detail).toMatch(/role/);
      expect((await as('alice:admin').get('nothing')).status).toBe(404);
    });

    it('lets a viewer read flags, levels and health but change nothing', async () => {
      const viewer = as('vera:viewer');
      const session = await viewer.session();
      expect(session.body).toMatchObject({ role: 'viewer', can: { toggleFlags: false } });
      const list = (await (await viewer.get('flags')).json()) as { items: { key: string }[] };
      expect(list.items.map((f) => f.key).sort()).toEqual(['banner', 'newCheckout']);
      expect((await viewer.get('logging')).status).toBe(200);
      const status = await viewer.get('health/status');
      expect(status.status).toBe(200);
      expect(
        (await viewer.send('POST', 'flags/newCheckout/toggle', { enabled: true })).status,
      ).toBe(403);
      expect((await viewer.send('PUT', 'logging/payments', { level: 'debug' })).status).toBe(403);
      expect((await viewer.get('audit/events')).status).toBe(403);
      expect((await viewer.get('inspector/recent')).status).toBe(403);
      expect(s.flags.isEnabled('newCheckout')).toBe(false);
    });

    it('lets an operator toggle a flag and change a log level, recorded with the actor', async () => {
      const op = as('oscar:operator');
      await op.session();
      const r = await op.send('POST', 'flags/newCheckout/toggle', { enabled: false });
      expect(r.status).toBe(200);
      const rollout = await op.send('PUT', 'flags/newCheckout/rollout', { percentage: 100 });
      expect(rollout.status).toBe(200);
      expect(s.flags.evaluate('newCheckout', { userId: 'u1' }).value).toBe(false);
      await op.send('POST', 'flags/newCheckout/toggle', { enabled: true });
      expect(s.flags.evaluate('newCheckout', { userId: 'u1' }).value).toBe(true);
      expect((await op.send('PUT', 'logging/payments', { level: 'debug' })).status).toBe(200);
      expect(s.log.level).toBe('debug');
      expect((await op.send('DELETE', 'logging/payments')).status).toBe(200);
      expect(s.log.level).not.toBe('debug');
      expect(
        (await op.send('PUT', 'flags/newCheckout/tenants/acme', { enabled: false })).status,
      ).toBe(403);
      expect((await op.get('audit/events')).status).toBe(403);
      expect((await op.get('inspector/recent')).status).toBe(200);
      const mine = (await events()).filter((e) => e.actor.id === 'oscar');
      expect(mine.map((e) => `${e.action}:${e.outcome}`)).toEqual(
        expect.arrayContaining([
          'admin.flag.toggle:success',
          'admin.flag.rollout:success',
          'admin.log_level.set:success',
          'admin.log_level.reset:success',
          'admin.flag.override.set:failure',
        ]),
      );
    });

    it('refuses a change without the CSRF token, from a foreign origin, or for another user', async () => {
      const admin = as('alice:admin');
      const noToken = await admin.send('POST', 'flags/banner/toggle', { enabled: false });
      expect(noToken.status).toBe(403);
      expect(((await noToken.json()) as { detail: string }).detail).toMatch(/CSRF/);
      await admin.session();
      const foreign = await admin.send(
        'POST',
        'flags/banner/toggle',
        { enabled: false },
        { origin: 'https://evil.example' },
      );
      expect(foreign.status).toBe(403);
      const crossSite = await admin.send(
        'POST',
        'flags/banner/toggle',
        { enabled: false },
        { 'sec-fetch-site': 'cross-site' },
      );
      expect(crossSite.status).toBe(403);
      const ownOrigin = await admin.send(
        'POST',
        'flags/banner/toggle',
        { enabled: true },
        { origin: new URL(base).origin, 'sec-fetch-site': 'same-origin' },
      );
      expect(ownOrigin.status).toBe(200);
      const other = as('oscar:operator');
      await other.session();
      const stolen = await fetch(`${base}/api/flags/banner/toggle`, {
        method: 'POST',
        headers: {
          'x-who': 'alice:admin',
          'content-type': 'application/json',
          'x-admin-csrf': ((await other.session()).body as { csrf: { token: string } }).csrf.token,
        },
        body: JSON.stringify({ enabled: false }),
      });
      expect(stolen.status).toBe(403);
      expect(s.flags.isEnabled('banner')).toBe(true);
    });

    it("answers a package handler's thrown error as problem+json", async () => {
      const r = await as('alice:admin').get('usage/usage?tenant=acme&from=bogus');
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(((await r.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('from');
    });

    it('validates bodies with the shared schemas (400 with the issues)', async () => {
      const admin = as('alice:admin');
      await admin.session();
      const r = await admin.send('PUT', 'flags/banner/rollout', { percentage: 150 });
      expect(r.status).toBe(400);
      const body = (await r.json()) as { errors: { path: string }[] };
      expect(body.errors).toEqual([{ path: 'percentage', message: 'must be 0 to 100' }]);
      const half = await admin.send('PUT', 'flags/banner/rollout', { percentage: 2.5 });
      expect(((await half.json()) as { errors: unknown[] }).errors).toEqual([
        { path: 'percentage', message: 'must be a whole number' },
      ]);
      expect((await admin.send('PUT', 'logging/payments', { level: 'loud' })).status).toBe(400);
    });

    it('lets an admin set a tenant override and read the audit log, itself audited', async () => {
      const admin = as('alice:admin');
      await admin.session();
      const set = await admin.send('PUT', 'flags/banner/tenants/acme', { enabled: false });
      expect(set.status).toBe(200);
      expect(s.flags.evaluate('banner', { tenantId: 'acme' }).value).toBe(false);
      expect(s.flags.evaluate('banner', { tenantId: 'globex' }).value).toBe(true);
      expect(
        (await admin.send('PUT', 'flags/banner/tenants/globex', { enabled: true })).status,
      ).toBe(200);
      const page = (await (await admin.get('audit/events?tenant=acme')).json()) as {
        events: Event[];
      };
      expect(
        page.events.some((e) => e.action === 'admin.flag.override.set' && e.actor.id === 'alice'),
      ).toBe(true);
      const csv = await admin.get('audit/export?tenant=acme&format=csv');
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain('admin.flag.override.set');
      const all = await events();
      expect(all.some((e) => e.action === 'audit.log.view' && e.actor.id === 'alice')).toBe(true);
      await s.trail.flush();
      await new Promise((r) => setTimeout(r, 20));
      expect(
        (await events()).some((e) => e.action === 'audit.log.export' && e.actor.id === 'alice'),
      ).toBe(true);
    });

    it('keeps a tenant-scoped admin to their tenant', async () => {
      const tina = as('tina:admin:acme');
      const session = await tina.session();
      expect(session.body).toMatchObject({
        tenant: 'acme',
        can: { toggleFlags: false, tenantOverrides: true },
      });
      expect(
        (await tina.send('PUT', 'flags/banner/tenants/globex', { enabled: false })).status,
      ).toBe(403);
      expect((await tina.send('POST', 'flags/banner/toggle', { enabled: false })).status).toBe(403);
      expect((await tina.send('PUT', 'flags/banner/tenants/acme', { enabled: true })).status).toBe(
        200,
      );
      const list = (await (await tina.get('flags')).json()) as {
        items: { key: string; tenants: Record<string, unknown> }[];
      };
      expect(list.items.find((f) => f.key === 'banner')?.tenants).toEqual({
        acme: { enabled: true },
      });
      for (const f of list.items)
        expect(Object.keys(f.tenants).every((t) => t === 'acme')).toBe(true);
      expect((await tina.get('audit/events?tenant=globex')).status).toBe(403);
      const page = (await (await tina.get('audit/events')).json()) as { events: Event[] };
      expect(page.events.length).toBeGreaterThan(0);
      expect(page.events.every((e) => e.tenantId === 'acme')).toBe(true);
      expect((await tina.get('usage/usage?tenant=globex')).status).toBe(403);
      expect((await tina.get('flags/banner/history')).status).toBe(403);
      expect((await tina.get('flags/-/analytics')).status).toBe(403);
      expect((await tina.get('inspector/recent')).status).toBe(403);
      for (const tenantId of ['acme', 'globex']) {
        const ctx = { requestId: tenantId, method: 'GET', path: '/x', startTime: 0, tenantId };
        s.telemetry.recorder?.finish('GET', 0.01, 200, ctx, '/x');
      }
      const summary = async (who: string) =>
        (
          (await (await as(who).get('health/summary')).json()) as {
            windows: { '1h': { tenants: Record<string, unknown> } };
          }
        ).windows['1h'].tenants;
      expect(Object.keys(await summary('alice:admin')).sort()).toEqual(['acme', 'globex']);
      expect(Object.keys(await summary('tina:admin:acme'))).toEqual(['acme']);
      const usage = await tina.get('usage/usage');
      expect(usage.status).toBe(200);
      expect(((await usage.json()) as { tenant: string }).tenant).toBe('acme');
    });
  });
}
