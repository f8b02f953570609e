import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    name: 'flags',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    hookTimeout: 60_000,
    testTimeout: 20_000,
  },
});
