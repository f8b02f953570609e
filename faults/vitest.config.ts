import { defineConfig } from 'vitest/config';

/**
 * The fault-injection suite (`pnpm test:faults`): not one of the root config's projects,
 * so `pnpm test` never runs it. One file at a time, in one process: the scenarios load
 * the machine on purpose and share the table printed at the end.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['src/**/*.test.ts', 'scenarios/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    globalSetup: ['./src/global-setup.ts'],
  },
});
