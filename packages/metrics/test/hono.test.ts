import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { setTrace } from '@platform/core';
import { requestContext } from '@platform/core/hono';
import { Hono } from 'hono';
import { afterEach, describe, it } from 'vitest';
import { metricsMiddleware, metricsRoute, summaryRoute } from '../src/hono.js';
import { metrics, type PlatformMetrics } from '../src/index.js';
import { checkOff, checkRed, listening, SPAN, TRACE } from './support.js';

let server: Server | undefined;
let telemetry: PlatformMetrics | undefined;
afterEach(async () => {
  server?.close();
  await telemetry?.close();
});

function serve(m: PlatformMetrics) {
  const app = new Hono();
  app.use(requestContext({ resolveTenant: (ex) => ex.header('x-tenant') }));
  app.use(async (_c, next) => {
    setTrace(TRACE, SPAN);
    await next();
  });
  app.use(metricsMiddleware(m));
  app.get('/metrics', metricsRoute(m));
  app.get('/admin/metrics/summary', summaryRoute(m));
  app.get('/api/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.listen(0, '127.0.0.1');
  return listening(server);
}

describe('Hono metricsMiddleware', () => {
  it('records RED per route template, tenant and status; /metrics negotiates; the summary answers', async () => {
    telemetry = metrics({ defaultMetrics: false, shutdown: false });
    await checkRed(await serve(telemetry), '/api/items/:id');
  });

  it('switched off: pass-through, /metrics 404', async () => {
    telemetry = metrics({ enabled: false });
    await checkOff(await serve(telemetry));
  });
});
