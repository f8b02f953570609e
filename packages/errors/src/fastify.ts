import { fastifyExchange } from '@platform/core/fastify';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { NotFoundError } from './errors.js';
import { stringifyProblem } from './problem.js';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorResponderOptions,
} from './responder.js';

export interface FastifyErrorHandlerOptions extends ErrorResponderOptions {
  /** Also answer unmatched routes with a 404 problem (`setNotFoundHandler`). Default `true`. */
  notFound?: boolean;
}

function sender(respond: ErrorResponder) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, headers, body } = respond(
      err,
      fastifyExchange(req, reply),
      req.platformContext,
    );
    // a Buffer, so Fastify does not append "; charset=utf-8" to the problem media type
    return reply
      .code(status)
      .headers(headers)
      .send(Buffer.from(stringifyProblem(body)));
  };
}

const plugin: FastifyPluginAsync<FastifyErrorHandlerOptions> = async (app, options) => {
  const { notFound = true, ...rest } = options;
  const send = sender(createErrorResponder(rest));
  app.setErrorHandler((err, req, reply) => send(err, req, reply));
  if (notFound) app.setNotFoundHandler((req, reply) => send(new NotFoundError(), req, reply));
};

/**
 * Fastify plugin that answers every error (and, by default, every unmatched route) with an
 * RFC 9457 problem body carrying the request id. Register it once, at the root.
 *
 * @example
 * await app.register(requestContext);
 * await app.register(errorHandler, { production: true });
 */
export const errorHandler = fp(plugin, { fastify: '5.x', name: '@platform/errors' });

/**
 * For Fastify's `frameworkErrors` server option. Fastify answers a few errors itself,
 * before any hook or plugin runs and outside `setErrorHandler`: a URL that does not
 * decode (`FST_ERR_BAD_URL`, 400) and a route parameter over `maxParamLength`. With
 * this they get the same problem body (status kept, request id echoed or made) as
 * every other error, instead of Fastify's plain JSON.
 *
 * @example
 * const app = Fastify({ frameworkErrors: frameworkErrors({ production: true }) });
 * await app.register(requestContext);
 * await app.register(errorHandler, { production: true });
 */
export function frameworkErrors(
  options?: ErrorResponderOptions,
): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  const send = sender(createErrorResponder(options));
  return (err, req, reply) => void send(err, req, reply);
}

export type { ErrorResponderOptions };
