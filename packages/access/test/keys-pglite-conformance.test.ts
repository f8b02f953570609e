import { PGlite } from '@electric-sql/pglite';
import { postgresKeyStore } from '../src/postgres.js';
import { testApiKeyStore } from '../src/testkit.js';

let db: PGlite;

testApiKeyStore({
  name: 'postgres (PGlite)',
  create: () => {
    db = new PGlite();
    return postgresKeyStore({ client: db, timeoutMs: 5000 });
  },
  migrate: (store) => store.migrate(),
  destroy: () => db.close(),
});
