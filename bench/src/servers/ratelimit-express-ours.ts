import { once } from 'node:events';
import { rateLimit } from '@platform/ratelimit/express';
import express from 'express';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { benchLimiter } from './ratelimit-options.js';

const start: StartServer = async () => {
  const app = express();
  app.use(rateLimit(benchLimiter()));
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
