import { postgresKeyStore } from '../src/stores/postgres.js';
import { testDataKeyStore } from '../src/testkit.js';
import { isolatedSchema } from './pg-support.js';

const db = isolatedSchema();

testDataKeyStore({
  name: 'postgres',
  create: () => postgresKeyStore({ client: db.pool, schema: db.schema }),
  migrate: (store) => store.migrate(),
  destroy: async (store) => {
    await store.close();
    await db.drop();
  },
});
