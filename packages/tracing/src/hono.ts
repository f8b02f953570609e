import { context as otelContext } from '@opentelemetry/api';
import { nextRoute } from '@platform/core/next';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { inspectorHandlers, logLevelHandlers } from './handlers.js';
import { createHttpTelemetry, type HttpTelemetryOptions, startFetch } from './http.js';
import type { Inspector } from './inspector.js';
import type { LogLevels } from './log-levels.js';

/**
 * Hono middleware: one SERVER span per request (and the request log line when a logger is
 * given), continuing the incoming `traceparent`, named after the matched route when the
 * request context has none. Mount it first, right after @platform/core's request context.
 *
 * @example
 * app.use(tracing({ logger: createLogger({ module: 'http' }) }));
 */
export function tracing(options: HttpTelemetryOptions = {}): MiddlewareHandler {
  const telemetry = createHttpTelemetry(options);
  return async (c, next) => {
    const active = startFetch(telemetry, c.req.raw);
    const own = c.req.routeIndex;
    try {
      await otelContext.with(active.context, next);
    } catch (error) {
      active.fail(error);
      active.end(500);
      throw error;
    }
    if (c.error) active.fail(c.error);
    // a later handler answered: its route names the span (else it was Hono's not-found)
    active.end(c.res.status, c.req.routeIndex > own ? routePath(c) : undefined);
  };
}

/** Runtime log levels (see `logLevelHandlers`): `app.all('/admin/log-levels/*', logLevelRoute(levels, { base: '/admin/log-levels' }))`. */
export function logLevelRoute(levels?: LogLevels, options?: { base?: string }) {
  const route = nextRoute(logLevelHandlers(levels).handle, options);
  return (c: Context) => route(c.req.raw);
}

/** The development inspector (see `inspectorHandlers`), below `options.base`. */
export function inspectorRoute(inspector: Inspector, options?: { base?: string }) {
  const route = nextRoute(inspectorHandlers(inspector).handle, options);
  return (c: Context) => route(c.req.raw);
}

export type { HttpTelemetryOptions as TracingOptions };
