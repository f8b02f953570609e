import { describeAuditStore } from '../src/testkit.js';
import { isolatedSchema } from './pg-support.js';

let drop: (() => Promise<void>) | undefined;

describeAuditStore({
  name: 'postgres (pg Pool)',
  async create() {
    const db = await isolatedSchema();
    drop = db.drop;
    return db.store;
  },
  destroy: () => drop?.(),
});
