import { requireRole } from '@platform/access/fastify';
import { fastifyRoute } from '@platform/core/fastify';
import { metrics } from '@platform/metrics';
import { metricsPlugin, metricsRoute, summaryRoute } from '@platform/metrics/fastify';
import { exampleSlos } from '../../../shared/slos.js';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/metrics in the example: RED metrics per route template and tenant (with trace
 * exemplars, as the tracing feature runs first), every package's own metrics, at GET
 * /metrics (Prometheus text, or OpenMetrics when asked); the JSON summary at
 * GET /admin/metrics/summary, the SLOs' error budgets and burn rates at GET
 * /admin/metrics/slos (both for the admin role). PLATFORM_METRICS=off switches it off.
 */
export async function metricsFeature(_env: FeatureEnv): Promise<AppFeature> {
  const slos = exampleSlos();
  const telemetry = metrics({ observers: [slos] });
  return {
    name: 'metrics',
    console: { metrics: telemetry, slos },
    async before(app) {
      await app.register(metricsPlugin, { metrics: telemetry });
    },
    async routes(app) {
      app.get('/metrics', metricsRoute(telemetry));
      const admin = { onRequest: requireRole('admin') };
      app.get('/admin/metrics/summary', admin, summaryRoute(telemetry));
      app.get('/admin/metrics/slos', admin, fastifyRoute(slos.handler));
    },
  };
}
