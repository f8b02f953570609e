import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    express: 'src/express.ts',
    fastify: 'src/fastify.ts',
    next: 'src/next.ts',
    hono: 'src/hono.ts',
    'batch-writer': 'src/batch-writer.ts',
    testkit: 'src/testkit.ts',
    // The only entry that imports @opentelemetry/api (an optional peer dependency).
    genai: 'src/genai/index.ts',
    stores: 'src/stores/index.ts',
  }),
);
