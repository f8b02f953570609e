import { once } from 'node:events';
import { auditRequests } from '@platform/audit/express';
import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import type { StartServer } from '../suite.js';
import { benchTrail } from './audit-common.js';
import { item } from './item.js';

/** The baseline plus @platform/audit's middleware: one event per POST. */
const start: StartServer = async () => {
  const app = express();
  app.use(requestContext());
  app.use((_req, _res, next) => {
    setActor({ type: 'user', id: 'bench', roles: [] });
    next();
  });
  app.use(auditRequests(benchTrail()));
  app.post('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
