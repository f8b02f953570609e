import { auditTrail, memoryStore } from '@platform/audit';
import { afterAll, describe, expect, it } from 'vitest';
import type { Refusal } from '../src/index.js';
import { serveExpress } from './express-app.js';
import { bearer, testAuth } from './support.js';

describe('auditing refusals on admin routes with @platform/audit', () => {
  const store = memoryStore();
  const audit = auditTrail({ store, log: false });
  afterAll(() => audit.close());

  it('records every refused admin request as a failed access.refused event', async () => {
    const onRefused = (r: Refusal) =>
      audit.record({
        action: 'access.refused',
        outcome: 'failure',
        reason: `${r.code} (${r.requirement})`,
        targets: [{ type: 'route', id: `${r.method} ${r.path}` }],
      });
    const { url, close } = await serveExpress({
      auth: testAuth(),
      onRefused,
    });
    try {
      const res = await fetch(`${url}/admin`, {
        headers: await bearer({ sub: 'op-1', roles: ['operator'], tenant_id: 'acme' }),
      });
      expect(res.status).toBe(403);
      expect(
        (await fetch(`${url}/admin`, { headers: await bearer({ sub: 'a', roles: ['admin'] }) }))
          .status,
      ).toBe(200);
      await audit.flush();
      const page = await store.query({ tenantId: 'acme' });
      expect(page.events).toHaveLength(1);
      expect(page.events[0]).toMatchObject({
        action: 'access.refused',
        outcome: 'failure',
        tenantId: 'acme',
        actor: expect.objectContaining({ id: 'op-1' }),
        request: { method: 'GET', requestId: res.headers.get('x-request-id') },
      });
    } finally {
      await close();
    }
  });
});
