import type { AddressInfo } from 'node:net';
import { requestContext } from '@platform/core/fastify';
import Fastify from 'fastify';
import { oidcRoutes } from '../src/fastify.js';
import { loginSuite } from './support/login-suite.js';

loginSuite('Fastify', async (auth) => {
  const app = Fastify();
  await app.register(requestContext);
  app.get('/auth/login', (req, reply) => oidcRoutes(auth()).login(req, reply));
  app.get('/auth/callback', (req, reply) => oidcRoutes(auth()).callback(req, reply));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    context: true,
    base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
});
