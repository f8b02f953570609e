import { afterAll, describe, expect, it } from 'vitest';
import { flagAdmin } from '../src/admin.js';
import { flagAuditEvent } from '../src/audit-event.js';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import type { FlagStore } from '../src/store.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { dropSchema, pool, testSchema } from './support.js';

const TENANTS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const definitions = defineFlags({ beta: { type: 'boolean', default: false } });
const schema = testSchema('hostile');
const db = pool();
afterAll(async () => {
  await db.end();
  await dropSchema(schema);
});

const stores: [string, () => Promise<FlagStore>][] = [
  ['memory', async () => memoryStore({ flags: [{ key: 'beta', serve: { variant: 'off' } }] })],
  [
    'postgres',
    async () => {
      const store = postgresStore({ client: db, schema, notifications: false });
      await store.migrate();
      await store.put!({ key: 'beta', serve: { variant: 'off' } } as never);
      return store;
    },
  ],
];

describe.each(stores)('tenant ids that are Object.prototype names (%s store)', (_, make) => {
  it('are overrides like any other: admin API, evaluation, history and the audit hook', async () => {
    const audited: ReturnType<typeof flagAuditEvent>[] = [];
    const flags = createFlags({
      definitions,
      store: await make(),
      flushOnShutdown: false,
      onChange: (c) => {
        audited.push(flagAuditEvent(c));
      },
    });
    await flags.ready();
    const admin = flagAdmin(flags);
    for (const tenant of TENANTS) {
      const res = await admin({
        method: 'PUT',
        path: `/beta/tenants/${encodeURIComponent(tenant)}`,
        body: { serve: { variant: 'on' } },
      });
      expect(res.status, `${tenant}: ${res.body}`).toBe(200);
      expect(Object.keys(JSON.parse(res.body).tenants)).toContain(tenant);
      expect(flags.evaluate('beta', { tenantId: tenant })).toMatchObject({
        value: true,
        ruleId: `tenant:${tenant}`,
      });
      const history = await admin({ method: 'GET', path: '/beta/history' });
      expect(history.status, history.body).toBe(200);
      expect(JSON.parse(history.body).items[0].diff).toEqual([
        { path: `tenants.${tenant}`, before: null, after: { serve: { variant: 'on' } } },
      ]);
    }
    expect(flags.evaluate('beta', { tenantId: 'acme' })).toMatchObject({ value: false });
    expect(audited.map((a) => a.metadata.diff[0]?.path)).toEqual(
      TENANTS.map((t) => `tenants.${t}`),
    );
    const removed = await admin({ method: 'DELETE', path: '/beta/tenants/__proto__' });
    expect(removed.status).toBe(200);
    expect(Object.keys(JSON.parse(removed.body).tenants)).not.toContain('__proto__');
    expect(flags.evaluate('beta', { tenantId: '__proto__' })).toMatchObject({ value: false });
    await flags.close();
  });
});
