import type { Server } from 'node:http';
import { metricsEnabled, setTrace } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsMiddleware, metricsRoute, summaryRoute } from '../src/express.js';
import { metrics, type PlatformMetrics } from '../src/index.js';
import { checkOff, checkRed, listening, SPAN, TRACE } from './support.js';

let server: Server | undefined;
let telemetry: PlatformMetrics | undefined;
afterEach(async () => {
  server?.close();
  await telemetry?.close();
});

function serve(m: PlatformMetrics) {
  const app = express();
  app.use(requestContext({ resolveTenant: (ex) => ex.header('x-tenant') }));
  app.use((_req, _res, next) => {
    setTrace(TRACE, SPAN);
    next();
  });
  app.use(metricsMiddleware(m));
  app.get('/metrics', metricsRoute(m));
  app.get('/admin/metrics/summary', summaryRoute(m));
  app.get('/api/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  server = app.listen(0, '127.0.0.1');
  return listening(server);
}

describe('Express metricsMiddleware', () => {
  it('records RED per route template, tenant and status; /metrics negotiates; the summary answers', async () => {
    telemetry = metrics({ defaultMetrics: false, shutdown: false });
    await checkRed(await serve(telemetry), '/api/items/:id');
  });

  it('switched off (enabled: false): nothing installed, pass-through middleware, /metrics 404', async () => {
    telemetry = metrics({ enabled: false });
    expect(metricsEnabled()).toBe(false);
    expect(telemetry.recorder).toBeUndefined();
    await checkOff(await serve(telemetry));
  });

  it('switched off by PLATFORM_METRICS=off', async () => {
    process.env.PLATFORM_METRICS = 'off';
    try {
      telemetry = metrics({});
    } finally {
      delete process.env.PLATFORM_METRICS;
    }
    expect(telemetry.enabled).toBe(false);
    expect(metricsEnabled()).toBe(false);
    await checkOff(await serve(telemetry));
  });
});
