import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    name: 'example-next',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // one `next build` runs in beforeAll
    hookTimeout: 300_000,
  },
});
