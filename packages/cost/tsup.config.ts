import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      next: 'src/next.ts',
      redis: 'src/stores/redis.ts',
      postgres: 'src/stores/postgres.ts',
      pdf: 'src/pdf.ts',
      testkit: 'src/testkit.ts',
    },
    [
      'pg',
      '@electric-sql/pglite',
      'ioredis',
      'redis',
      '@platform/tracing',
      '@platform/audit',
      'pdf-lib',
      'vitest',
    ],
  ),
);
