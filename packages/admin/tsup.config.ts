import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(
    {
      index: 'src/index.ts',
      express: 'src/express.ts',
      fastify: 'src/fastify.ts',
      next: 'src/next.ts',
      hono: 'src/hono.ts',
    },
    ['hono'],
  ),
);
