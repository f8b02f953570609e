import type { AddressInfo } from 'node:net';
import express from 'express';
import { adminRouter } from '../src/express.js';
import { roleSuite } from './roles.js';

roleSuite('express', async (s) => {
  const app = express();
  app.use(express.json());
  app.use('/admin', adminRouter(s.console));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
});
