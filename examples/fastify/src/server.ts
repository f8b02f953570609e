import type { AddressInfo } from 'node:net';
import { installSignalHandlers, onShutdown, parseEnv } from '@platform/core';
import { z } from 'zod';
import { buildApp } from './app.js';

const env = parseEnv(
  z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
  }),
);

const app = await buildApp();
await app.listen({ port: env.PORT, host: env.HOST });
const { port } = app.server.address() as AddressInfo;
console.log(`listening on http://${env.HOST}:${port}`);

onShutdown(() => app.close(), { name: 'http-server' });
installSignalHandlers();
