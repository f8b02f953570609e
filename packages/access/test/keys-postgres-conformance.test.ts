import type pg from 'pg';
import { postgresKeyStore } from '../src/postgres.js';
import { testApiKeyStore } from '../src/testkit.js';
import { dropSchema, pool, runSchema } from './pg-support.js';

let client: pg.Pool;
const schema = runSchema('keys');

testApiKeyStore({
  name: 'postgres (pg Pool)',
  create: () => {
    client = pool();
    return postgresKeyStore({ client, schema, timeoutMs: 5000 });
  },
  migrate: (store) => store.migrate(),
  destroy: async (store) => {
    store.shutdown();
    await dropSchema(client, schema);
  },
});
