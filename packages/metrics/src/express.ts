import { contextOf, expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { PlatformMetrics } from './index.js';
import { since } from './red.js';

const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * Express middleware recording the RED metrics of every request (route template, status,
 * tenant, trace exemplar). Mount it early, after `requestContext`. Switched off: `next()` only.
 *
 * @example
 * app.use(requestContext());
 * app.use(metricsMiddleware(telemetry));
 */
export function metricsMiddleware(metrics: PlatformMetrics): RequestHandler {
  const recorder = metrics.recorder;
  if (!recorder) return passThrough;
  return (req, res, next) => {
    const started = recorder.start(req.method);
    // `on`, not `once`: 'close' fires once per response and needs no once-wrapper.
    res.on('close', () => {
      const context = contextOf(req);
      const route = context || !req.route ? undefined : `${req.baseUrl}${req.route.path}`;
      recorder.finish(req.method, since(started), res.statusCode, context, route);
    });
    next();
  };
}

/** GET /metrics for Express (content-negotiated Prometheus text / OpenMetrics). */
export const metricsRoute = (metrics: PlatformMetrics): RequestHandler =>
  expressRoute(metrics.handler);

/** GET the JSON summary for Express. */
export const summaryRoute = (metrics: PlatformMetrics): RequestHandler =>
  expressRoute(metrics.summary);
