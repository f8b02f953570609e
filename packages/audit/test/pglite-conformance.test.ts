import { PGlite } from '@electric-sql/pglite';
import { postgresStore } from '../src/stores/postgres.js';
import { testAuditStore } from '../src/testkit.js';

let db: PGlite;

testAuditStore({
  name: 'postgres (PGlite)',
  create: () => {
    db = new PGlite();
    return postgresStore({ client: db });
  },
  migrate: (store) => store.migrate(),
  destroy: () => db.close(),
});
