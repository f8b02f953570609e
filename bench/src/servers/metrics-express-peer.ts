import { once } from 'node:events';
import express from 'express';
import promBundle from 'express-prom-bundle';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { PROM_BUNDLE_OPTIONS } from './metrics-options.js';

const start: StartServer = async () => {
  const app = express();
  app.use(promBundle(PROM_BUNDLE_OPTIONS));
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
