import { getContext } from '@platform/core';
import { honoRoute } from '@platform/core/hono';
import type { Context, MiddlewareHandler } from 'hono';
import type { PlatformMetrics } from './index.js';
import { since, UNMATCHED } from './red.js';

const passThrough: MiddlewareHandler = (_c, next) => next();

/**
 * The matched route's template: the last handler that is not an `app.use` middleware (core's
 * rule). Read here rather than from the context, where a wildcard middleware's own pattern
 * (`/*`) may have been recorded for a request no route matched.
 */
function routeOf(c: Context): string | undefined {
  const routes = c.req.matchedRoutes;
  for (let i = routes.length - 1; i >= 0; i--)
    if (routes[i]?.method !== 'ALL') return routes[i]?.path;
  return undefined;
}

/**
 * Hono middleware recording the RED metrics of every request. Mount it after
 * `requestContext`. Switched off: calls `next()` only.
 *
 * @example
 * app.use(requestContext());
 * app.use(metricsMiddleware(telemetry));
 * app.get('/metrics', metricsRoute(telemetry));
 */
export function metricsMiddleware(metrics: PlatformMetrics): MiddlewareHandler {
  const recorder = metrics.recorder;
  if (!recorder) return passThrough;
  return async (c, next) => {
    const started = recorder.start(c.req.method);
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      recorder.finish(c.req.method, since(started), status, getContext(), routeOf(c) ?? UNMATCHED);
    }
  };
}

/** GET /metrics for Hono. */
export const metricsRoute = (metrics: PlatformMetrics) => honoRoute(metrics.handler);

/** GET the JSON summary for Hono. */
export const summaryRoute = (metrics: PlatformMetrics) => honoRoute(metrics.summary);
