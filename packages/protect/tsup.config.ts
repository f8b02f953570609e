import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      postgres: 'src/stores/postgres.ts',
      testkit: 'src/testkit.ts',
    },
    ['vitest'],
  ),
);
