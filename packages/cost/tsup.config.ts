import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/express.ts',
    fastify: 'src/fastify.ts',
    next: 'src/next.ts',
    redis: 'src/stores/redis.ts',
    postgres: 'src/stores/postgres.ts',
    pdf: 'src/pdf.ts',
    testkit: 'src/testkit.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  external: [
    'pg',
    '@electric-sql/pglite',
    'ioredis',
    '@platform/tracing',
    '@platform/audit',
    'pdf-lib',
    'vitest',
  ],
});
