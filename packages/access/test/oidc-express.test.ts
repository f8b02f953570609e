import type { AddressInfo } from 'node:net';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { oidcRoutes } from '../src/express.js';
import { loginSuite } from './support/login-suite.js';

loginSuite('Express', async (auth) => {
  const app = express();
  app.use(requestContext());
  app.get('/auth/login', (req, res, next) => oidcRoutes(auth()).login(req, res, next));
  app.get('/auth/callback', (req, res, next) => oidcRoutes(auth()).callback(req, res, next));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    context: true,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
