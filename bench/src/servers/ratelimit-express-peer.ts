import { once } from 'node:events';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { LIMIT } from './ratelimit-options.js';

const start: StartServer = async () => {
  const app = express();
  // draft-8: RateLimit + RateLimit-Policy, as @platform/ratelimit sends
  app.use(
    rateLimit({ windowMs: 60_000, limit: LIMIT, standardHeaders: 'draft-8', legacyHeaders: false }),
  );
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
