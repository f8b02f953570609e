import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal } from '../src/index.js';
import { bearer, expectProblem, hsToken, type Serve, testAuth } from './support.js';

/** The guard and authentication behaviour every binding shares. */
export function describeGuardedApi(name: string, serve: Serve): void {
  describe(name, () => {
    const refused: Refusal[] = [];
    const metrics = recordingMetrics();
    let url: string;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ url, close } = await serve({ auth: testAuth(), onRefused: (r) => refused.push(r) }));
    });
    afterAll(async () => {
      metrics.restore();
      await close();
    });

    it('answers 401 problem+json with WWW-Authenticate when there is no credential', async () => {
      const res = await fetch(`${url}/viewer`);
      await expectProblem(res, 401, 'credentials_missing');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
      // a guard without authenticate in front has no actor either
      await expectProblem(await fetch(`${url}/guarded`), 401, 'credentials_missing');
    });

    it('sets actor and tenant from the token claims on the request context', async () => {
      const res = await fetch(`${url}/me`, {
        headers: await bearer({ sub: 'u-1', roles: ['viewer'], tenant_id: 't-9', name: 'Ann' }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        actor: { type: 'user', id: 'u-1', roles: ['viewer'], name: 'Ann' },
        tenantId: 't-9',
      });
    });

    it('reads the token from the access_token cookie too', async () => {
      const token = await hsToken({ sub: 'u-2', roles: ['viewer'] });
      const res = await fetch(`${url}/viewer`, {
        headers: { cookie: `other=1; access_token=${token}` },
      });
      expect(res.status).toBe(200);
    });

    it('admits by inherited roles: viewer ⊂ operator ⊂ admin', async () => {
      const viewer = await bearer({ sub: 'v', roles: ['viewer'] });
      const operator = await bearer({ sub: 'o', roles: ['operator'] });
      const admin = await bearer({ sub: 'a', roles: ['admin'] });
      expect((await fetch(`${url}/viewer`, { headers: operator })).status).toBe(200);
      expect((await fetch(`${url}/flags`, { method: 'POST', headers: operator })).status).toBe(200);
      expect((await fetch(`${url}/admin`, { headers: admin })).status).toBe(200);
      expect((await fetch(`${url}/flags`, { method: 'POST', headers: admin })).status).toBe(200);
      const noWrite = await fetch(`${url}/flags`, { method: 'POST', headers: viewer });
      const body = await expectProblem(noWrite, 403, 'insufficient_permission');
      expect(body.detail).toBe('This route needs the flags:write permission.');
    });

    it('answers 403 to a known caller without the role, counts it and tells onRefused', async () => {
      refused.length = 0;
      const before = metrics.value('platform_access_refusals_total', {
        stage: 'authorize',
        reason: 'insufficient_role',
      });
      const res = await fetch(`${url}/admin`, {
        headers: await bearer({ sub: 'op-7', roles: ['operator'], tenant_id: 't-1' }),
      });
      await expectProblem(res, 403, 'insufficient_role');
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(
        metrics.value('platform_access_refusals_total', {
          stage: 'authorize',
          reason: 'insufficient_role',
        }),
      ).toBe(before + 1);
      expect(refused).toEqual([
        expect.objectContaining({
          status: 403,
          code: 'insufficient_role',
          requirement: 'role:admin',
          actor: expect.objectContaining({ id: 'op-7', roles: ['operator'] }),
          tenantId: 't-1',
          method: 'GET',
          path: '/admin',
          requestId: res.headers.get('x-request-id'),
        }),
      ]);
    });

    it('refuses a bad token with 401 and counts it at the authenticate stage', async () => {
      const before = metrics.value('platform_access_refusals_total', { stage: 'authenticate' });
      const expired = await hsToken({ sub: 'u', roles: ['admin'] }, '-1m');
      const res = await fetch(`${url}/admin`, { headers: { authorization: `Bearer ${expired}` } });
      const body = await expectProblem(res, 401, 'token_expired');
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
      expect(JSON.stringify(body)).not.toContain(expired);
      await expectProblem(
        await fetch(`${url}/me`, { headers: { authorization: 'Bearer not.a.jwt' } }),
        401,
        'token_malformed',
      );
      expect(metrics.value('platform_access_refusals_total', { stage: 'authenticate' })).toBe(
        before + 2,
      );
    });
  });
}
