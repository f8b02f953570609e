import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/next.ts', 'src/hono.ts'],
  format: ['esm', 'cjs'],
  // Entries share chunks in the CommonJS build too, as they do in ESM: one copy of each
  // module per format instead of one per entry (see @platform/core's processSingleton for
  // state shared across formats and copies).
  splitting: true,
  dts: true,
  clean: true,
  // No sourcemaps: they would point at src/, which the tarball does not ship.
  sourcemap: false,
  target: 'node20',
  treeshake: true,
});
