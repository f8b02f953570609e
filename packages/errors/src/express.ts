import { writeAnswer } from '@platform/core';
import { contextOf, expressExchange } from '@platform/core/express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { problemAnswerOf } from './answer.js';
import { NotFoundError } from './errors.js';
import { createErrorResponder, type ErrorResponderOptions } from './responder.js';

/**
 * Express error middleware answering every error with an RFC 9457 problem body that
 * carries the request id. Mount it last. Once headers are sent it hands the error to
 * Express (which closes the connection).
 *
 * @example
 * app.use(requestContext());
 * app.use('/api', routes);
 * app.use(notFoundHandler());
 * app.use(errorHandler({ logger }));
 */
export function errorHandler(options?: ErrorResponderOptions): ErrorRequestHandler {
  const respond = createErrorResponder(options);
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const problem = respond(err, expressExchange(req, res), contextOf(req));
    void writeAnswer(res, problemAnswerOf(problem));
  };
}

/**
 * Express middleware for requests no route matched: passes a NotFoundError on to
 * `errorHandler()`, so 404s look like every other problem. Mount it after the routes.
 *
 * @example
 * app.use(notFoundHandler());
 */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new NotFoundError());
}

export type { ErrorResponderOptions };
