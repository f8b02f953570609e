import { once } from 'node:events';
import { metrics } from '@platform/metrics';
import { metricsMiddleware, metricsRoute } from '@platform/metrics/express';
import express from 'express';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

const start: StartServer = async () => {
  const telemetry = metrics({ shutdown: false });
  const app = express();
  app.use(metricsMiddleware(telemetry));
  app.get('/metrics', metricsRoute(telemetry));
  app.get('/api/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export default start;
