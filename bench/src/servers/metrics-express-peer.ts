import { once } from 'node:events';
import express from 'express';
import promBundle from 'express-prom-bundle';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

const start: StartServer = async () => {
  const app = express();
  // method, path (normalized) and status code labels, /metrics, default process metrics:
  // the same series our middleware records
  app.use(
    promBundle({
      includeMethod: true,
      includePath: true,
      includeStatusCode: true,
      promClient: { collectDefaultMetrics: {} },
    }),
  );
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
