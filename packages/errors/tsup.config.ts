import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild(['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/next.ts', 'src/hono.ts']),
);
