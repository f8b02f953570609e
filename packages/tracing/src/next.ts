import { context as otelContext } from '@opentelemetry/api';
import { nextRoute } from '@platform/core/next';
import { inspectorHandlers, logLevelHandlers } from './handlers.js';
import { createHttpTelemetry, type HttpTelemetryOptions, startFetch } from './http.js';
import type { Inspector } from './inspector.js';
import type { LogLevels } from './log-levels.js';

export interface NextTracingOptions extends HttpTelemetryOptions {
  /** The route template, e.g. `/api/items/[id]` (else the request context's). */
  route?: string;
}

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wraps an App Router route handler in a SERVER span (and the request log line when a
 * logger is given). Use it inside `withRequestContext`. The span starts from the
 * incoming `traceparent`, not from Next's own spans, so `ignoreScopes: ['next.js']`
 * in `initTracing` avoids duplicate request spans.
 *
 * @example
 * export const GET = withRequestContext(withTracing(handler, { route: '/api/items' }), { route: '/api/items' });
 */
export function withTracing<A extends unknown[]>(
  handler: Handler<A>,
  options: NextTracingOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const { route, ...rest } = options;
  const telemetry = createHttpTelemetry(rest);
  return async (request, ...args) => {
    const active = startFetch(telemetry, request, route);
    try {
      const response = await otelContext.with(active.context, () => handler(request, ...args));
      active.end(response.status);
      return response;
    } catch (error) {
      active.fail(error);
      active.end(500);
      throw error;
    }
  };
}

/** Runtime log levels (see `logLevelHandlers`) for `app/admin/log-levels/[[...module]]/route.ts`. */
export function logLevelRoute(levels?: LogLevels, options?: { base?: string }) {
  return nextRoute(logLevelHandlers(levels).handle, options);
}

/** The development inspector (see `inspectorHandlers`) for a catch-all route; give its `base`. */
export function inspectorRoute(inspector: Inspector, options?: { base?: string }) {
  return nextRoute(inspectorHandlers(inspector).handle, options);
}
