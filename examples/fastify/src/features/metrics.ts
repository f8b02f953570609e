import { metrics } from '@platform/metrics';
import { metricsPlugin, metricsRoute, summaryRoute } from '@platform/metrics/fastify';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/metrics in the example: RED metrics per route template and tenant (with trace
 * exemplars, as the tracing feature runs first), every package's own metrics, at GET
 * /metrics (Prometheus text, or OpenMetrics when asked); the JSON summary at
 * GET /admin/metrics/summary. PLATFORM_METRICS=off switches it off.
 */
export async function metricsFeature(_env: FeatureEnv): Promise<AppFeature> {
  const telemetry = metrics();
  return {
    name: 'metrics',
    async before(app) {
      await app.register(metricsPlugin, { metrics: telemetry });
    },
    async routes(app) {
      app.get('/metrics', metricsRoute(telemetry));
      app.get('/admin/metrics/summary', summaryRoute(telemetry));
    },
  };
}
