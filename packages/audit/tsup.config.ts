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
      testkit: 'src/testkit.ts',
      cli: 'src/cli.ts',
    },
    ['pg', '@electric-sql/pglite', 'vitest'],
  ),
);
