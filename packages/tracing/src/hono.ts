import { context as otelContext } from '@opentelemetry/api';
import { honoRoute } from '@platform/core/hono';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { inspectorHandlers, logLevelHandlers } from './handlers.js';
import { createHttpTelemetry, type HttpTelemetryOptions, startFetch } from './http.js';
import type { Inspector } from './inspector.js';
import type { LogLevels } from './log-levels.js';

/**
 * Hono middleware: one SERVER span per request (and the request log line when a logger is
 * given), continuing the incoming `traceparent`. Mount it right after core's request
 * context. @example app.use(tracing({ logger: createLogger({ module: 'http' }) }));
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

/** Runtime log levels (`logLevelHandlers`) and the dev inspector, below `options.base`. */
export const logLevelRoute = (levels?: LogLevels, options?: { base?: string }) =>
  honoRoute(logLevelHandlers(levels).handle, options);
export const inspectorRoute = (inspector: Inspector, options?: { base?: string }) =>
  honoRoute(inspectorHandlers(inspector).handle, options);

export type { HttpTelemetryOptions as TracingOptions };
