import { once } from 'node:events';
import { securityHeaders } from '@platform/headers/express';
import express from 'express';
import type { StartServer } from '../suite.js';
import { HELMET_EQUIVALENT } from './headers-options.js';
import { item } from './item.js';

const start: StartServer = async () => {
  const app = express();
  app.use(securityHeaders(HELMET_EQUIVALENT));
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
