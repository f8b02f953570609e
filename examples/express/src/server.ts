import type { AddressInfo } from 'node:net';
import { installSignalHandlers, onShutdown, parseEnv } from '@platform/core';
import { z } from 'zod';
import { consoleHelp } from '../../shared/admin-console.js';
import { demoLogin } from '../../shared/demo-login.js';
import { buildApp } from './app.js';

const env = parseEnv(
  z.object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
  }),
);

const login = await demoLogin();
const app = await buildApp({ login });
const server = app.listen(env.PORT, env.HOST, () => {
  const { port } = server.address() as AddressInfo;
  const url = `http://${env.HOST}:${port}`;
  console.log(`listening on ${url}`);
  console.log(consoleHelp(url));
  login.listening(url).then(
    (help) => console.log(help),
    (err: Error) => console.error(`login unavailable: ${err.message}`),
  );
});

onShutdown(() => new Promise((resolve) => server.close(resolve)), { name: 'http-server' });
installSignalHandlers();
