import { metrics } from '@platform/metrics';
import { metricsPlugin, metricsRoute } from '@platform/metrics/fastify';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

const start: StartServer = async () => {
  const telemetry = metrics({ shutdown: false });
  const app = Fastify();
  await app.register(metricsPlugin, { metrics: telemetry });
  app.get('/metrics', metricsRoute(telemetry));
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
