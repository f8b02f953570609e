import { requireRole } from '@platform/access/express';
import { expressRoute } from '@platform/core/express';
import { metrics } from '@platform/metrics';
import { metricsMiddleware, metricsRoute, summaryRoute } from '@platform/metrics/express';
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
    before(app) {
      app.use(metricsMiddleware(telemetry));
    },
    routes(app) {
      app.get('/metrics', metricsRoute(telemetry));
      app.use('/admin/metrics', requireRole('admin'));
      app.get('/admin/metrics/summary', summaryRoute(telemetry));
      app.get('/admin/metrics/slos', expressRoute(slos.handler));
    },
  };
}
