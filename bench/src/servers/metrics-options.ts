import type promBundle from 'express-prom-bundle';

/**
 * express-prom-bundle with method, path (normalized) and status code labels, /metrics and
 * default process metrics: the same series @platform/metrics records.
 */
export const PROM_BUNDLE_OPTIONS: promBundle.Opts = {
  includeMethod: true,
  includePath: true,
  includeStatusCode: true,
  promClient: { collectDefaultMetrics: {} },
};

/** fastify-metrics: route metrics (method, route template, status) and process metrics at /metrics. */
export const FASTIFY_METRICS_OPTIONS = { endpoint: '/metrics' } as const;
