import { setTrace } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, it } from 'vitest';
import { metricsPlugin, metricsRoute, summaryRoute } from '../src/fastify.js';
import { metrics, type PlatformMetrics } from '../src/index.js';
import { checkOff, checkRed, SPAN, TRACE } from './support.js';

let app: FastifyInstance | undefined;
let telemetry: PlatformMetrics | undefined;
afterEach(async () => {
  await app?.close();
  await telemetry?.close();
});

async function serve(m: PlatformMetrics) {
  app = Fastify();
  await app.register(requestContext, { resolveTenant: (ex) => ex.header('x-tenant') });
  app.addHook('onRequest', (_req, _reply, done) => {
    setTrace(TRACE, SPAN);
    done();
  });
  await app.register(metricsPlugin, { metrics: m });
  app.get('/metrics', metricsRoute(m));
  app.get('/admin/metrics/summary', summaryRoute(m));
  app.get('/api/items/:id', async (req) => ({ id: (req.params as { id: string }).id }));
  app.get('/api/boom', async () => {
    throw new Error('boom');
  });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('Fastify metricsPlugin', () => {
  it('records RED per route template, tenant and status; /metrics negotiates; the summary answers', async () => {
    telemetry = metrics({ defaultMetrics: false, shutdown: false });
    await checkRed(await serve(telemetry), '/api/items/:id');
  });

  it('switched off: no hooks, /metrics 404', async () => {
    telemetry = metrics({ enabled: false });
    await checkOff(await serve(telemetry));
  });
});
