import { contextOf, expressExchange, expressRoute } from '@platform/core/express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { enterContext } from './context-manager.js';
import { inspectorHandlers, logLevelHandlers } from './handlers.js';
import type { HttpTelemetryOptions } from './http.js';
import { activeRequest, createHttpTelemetry, socketServer } from './http.js';
import type { Inspector } from './inspector.js';
import type { LogLevels } from './log-levels.js';

/**
 * Express middleware: one SERVER span per request (and the request log line when a
 * logger is given). Mount it right after `requestContext()`.
 *
 * @example
 * app.use(requestContext());
 * app.use(tracing({ logger: createLogger() }));
 */
export function tracing(options: HttpTelemetryOptions = {}): RequestHandler {
  const telemetry = createHttpTelemetry(options);
  return (req, res, next) => {
    const active = telemetry.start(expressExchange(req, res), socketServer(req.socket));
    activeRequest.set(contextOf(req), active);
    // `on`, not `once`: 'close' fires once per response and needs no once-wrapper.
    res.on('close', () => active.end(res.statusCode));
    enterContext(active.context, next);
  };
}

/**
 * Express error middleware that records the exception on the request span and passes
 * it on. Mount it after the routes, before your error handler.
 *
 * @example
 * app.use(tracingErrors());
 * app.use(errorHandler());
 */
export function tracingErrors(): ErrorRequestHandler {
  return (err, req, _res, next) => {
    activeRequest.get(contextOf(req))?.fail(err);
    next(err);
  };
}

/** Runtime log levels (see `logLevelHandlers`): `app.use('/admin/log-levels', logLevelRoute())`. */
export function logLevelRoute(levels?: LogLevels): RequestHandler {
  return expressRoute(logLevelHandlers(levels).handle);
}

/** The development inspector (see `inspectorHandlers`): `app.use('/_dev/inspector', inspectorRoute(inspector))`. */
export function inspectorRoute(inspector: Inspector): RequestHandler {
  return expressRoute(inspectorHandlers(inspector).handle);
}

export type { HttpTelemetryOptions as TracingOptions };
