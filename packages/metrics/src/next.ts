import { getContext } from '@platform/core';
import { nextRoute } from '@platform/core/next';
import type { PlatformMetrics } from './index.js';
import { since } from './red.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wraps an App Router route handler to record its RED metrics. Put it inside
 * `withRequestContext` (whose `route` option names the template); `route` here is the
 * fallback. A handler that throws is recorded as a 500. Switched off: the handler itself.
 *
 * @example
 * export const GET = withRequestContext(withMetrics(handler, telemetry), { route: '/api/items/[id]' });
 */
export function withMetrics<A extends unknown[]>(
  handler: Handler<A>,
  metrics: PlatformMetrics,
  options: { route?: string } = {},
): Handler<A> {
  const recorder = metrics.recorder;
  if (!recorder) return handler;
  return async (request, ...args) => {
    const started = recorder.start(request.method);
    let status = 500;
    try {
      const response = await handler(request, ...args);
      status = response.status;
      return response;
    } finally {
      const context = getContext();
      recorder.finish(
        request.method,
        since(started),
        status,
        context,
        context?.route ?? options.route,
      );
    }
  };
}

/** `app/metrics/route.ts`: `export const GET = metricsRoute(telemetry)`. */
export const metricsRoute = (metrics: PlatformMetrics) => nextRoute(metrics.handler);

/** The JSON summary as a route handler. */
export const summaryRoute = (metrics: PlatformMetrics) => nextRoute(metrics.summary);
