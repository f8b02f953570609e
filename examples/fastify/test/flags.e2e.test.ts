import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeFlagsExample } from '../../test-support/flags-suite.js';
import { startApp, stopAll } from '../../test-support/harness.js';

// The Fastify run keeps its flags in PostgreSQL (its own schema, dropped afterwards);
// the Express run uses the embedded memory store.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `flags_e2e_${randomUUID().replaceAll('-', '').slice(0, 10)}`;

describeFlagsExample(
  () =>
    startApp('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        PLATFORM_FLAGS_DATABASE_URL: DATABASE_URL,
        PLATFORM_FLAGS_SCHEMA: schema,
      },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    }),
  async () => {
    await stopAll();
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  },
);
