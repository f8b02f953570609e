import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { postgresStore } from '../src/stores/postgres.js';
import { describeRateLimitStore } from '../src/testkit.js';
import { dropSchema, pool, runSchema } from './postgres-support.js';

let admin: pg.Pool;
const schemas: string[] = [];
beforeAll(() => {
  admin = pool();
});
afterAll(async () => {
  for (const s of schemas) await dropSchema(admin, s);
  await admin.end();
});

describeRateLimitStore({
  name: 'postgres (pg Pool)',
  create: async () => {
    const schema = runSchema('conformance');
    schemas.push(schema);
    const client = pool();
    const store = postgresStore({ client, schema, timeoutMs: 2000 });
    await store.migrate();
    return {
      ...store,
      shutdown: async () => {
        store.shutdown();
        await client.end();
      },
    };
  },
  destroy: (store) => store.shutdown?.(),
});
