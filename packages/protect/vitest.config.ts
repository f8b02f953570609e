import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    name: 'protect',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // real PostgreSQL and Redis on a shared 2-core machine
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
