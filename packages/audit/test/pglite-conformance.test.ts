import { PGlite } from '@electric-sql/pglite';
import { postgresStore } from '../src/stores/postgres.js';
import { describeAuditStore } from '../src/testkit.js';

let db: PGlite | undefined;

describeAuditStore({
  name: 'postgres (PGlite)',
  async create() {
    db = new PGlite();
    const store = postgresStore({ client: db });
    await store.migrate();
    return store;
  },
  destroy: () => db?.close(),
});
