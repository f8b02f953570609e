import { getContext } from '@platform/core';
import { honoRoute } from '@platform/core/hono';
import type { Context, MiddlewareHandler } from 'hono';
import type { PlatformMetrics } from './index.js';
import { since } from './red.js';

const passThrough: MiddlewareHandler = (_c, next) => next();

/** The matched route's template when there is no request context (the last non-`use` handler). */
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
      const context = getContext();
      recorder.finish(
        c.req.method,
        since(started),
        status,
        context,
        context ? undefined : routeOf(c),
      );
    }
  };
}

/** GET /metrics for Hono. */
export const metricsRoute = (metrics: PlatformMetrics) => honoRoute(metrics.handler);

/** GET the JSON summary for Hono. */
export const summaryRoute = (metrics: PlatformMetrics) => honoRoute(metrics.summary);
