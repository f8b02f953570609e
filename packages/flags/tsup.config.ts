import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    express: 'src/express.ts',
    fastify: 'src/fastify.ts',
    next: 'src/next.ts',
    postgres: 'src/stores/postgres.ts',
    file: 'src/stores/file.ts',
    openfeature: 'src/openfeature.ts',
    testkit: 'src/testkit.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  external: ['pg', '@electric-sql/pglite', '@openfeature/server-sdk', 'vitest'],
});
