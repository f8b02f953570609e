import { once } from 'node:events';
import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

/** POST /api/items/:id behind core's request context and an actor: the baseline for audit. */
const start: StartServer = async () => {
  const app = express();
  app.use(requestContext());
  app.use((_req, _res, next) => {
    setActor({ type: 'user', id: 'bench', roles: [] });
    next();
  });
  app.post('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
