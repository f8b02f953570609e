import { testAuditStore } from '../src/testkit.js';
import { isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;

testAuditStore({
  name: 'postgres (pg Pool)',
  async create() {
    db = await isolatedSchema(); // a pool and a fresh, migrated schema of its own
    return db.store;
  },
  destroy: () => db.drop(),
});
