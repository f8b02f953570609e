import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      next: 'src/next.ts',
      postgres: 'src/stores/postgres.ts',
      file: 'src/stores/file.ts',
      openfeature: 'src/openfeature.ts',
      testkit: 'src/testkit.ts',
    },
    ['pg', '@electric-sql/pglite', '@openfeature/server-sdk', 'vitest'],
  ),
);
