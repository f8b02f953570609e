import { PGlite } from '@electric-sql/pglite';
import { postgresKeyStore } from '../src/stores/postgres.js';
import { testDataKeyStore } from '../src/testkit.js';

let db: PGlite;

testDataKeyStore({
  name: 'postgres (PGlite)',
  create: () => {
    db = new PGlite();
    return postgresKeyStore({ client: db });
  },
  migrate: (store) => store.migrate(),
  destroy: () => db.close(),
});
