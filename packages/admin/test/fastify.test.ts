import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { adminPlugin } from '../src/fastify.js';
import { roleSuite } from './roles.js';

roleSuite('fastify', async (s) => {
  const app = Fastify();
  await app.register(adminPlugin, { prefix: '/admin', console: s.console });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, stop: () => app.close() };
});
