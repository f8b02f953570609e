import { expressExchange } from '@platform/core/express';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { enterContext } from './context-manager.js';
import { type ActiveRequest, createHttpTelemetry, type HttpTelemetryOptions } from './http.js';

const ACTIVE = Symbol('platform.tracing.request');
type Traced = Request & { [ACTIVE]?: ActiveRequest };

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
    const socket = req.socket as typeof req.socket & { encrypted?: boolean };
    const active = telemetry.start(expressExchange(req, res), {
      scheme: socket.encrypted ? 'https' : 'http',
      port: socket.localPort,
    });
    (req as Traced)[ACTIVE] = active;
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
    (req as Traced)[ACTIVE]?.fail(err);
    next(err);
  };
}

export type { HttpTelemetryOptions as TracingOptions };
