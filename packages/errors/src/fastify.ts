import { fastifyExchange, sendAnswer } from '@platform/core/fastify';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemAnswerOf } from './answer.js';
import { NotFoundError } from './errors.js';
import { createErrorResponder, type ErrorResponderOptions } from './responder.js';

export interface FastifyErrorHandlerOptions extends ErrorResponderOptions {
  /** Also answer unmatched routes with a 404 problem (`setNotFoundHandler`). Default `true`. */
  notFound?: boolean;
}

function sender(options: ErrorResponderOptions | undefined) {
  const respond = createErrorResponder(options);
  return (err: unknown, req: FastifyRequest, reply: FastifyReply) =>
    sendAnswer(
      reply,
      problemAnswerOf(respond(err, fastifyExchange(req, reply), req.platformContext)),
    );
}

const plugin: FastifyPluginAsync<FastifyErrorHandlerOptions> = async (app, options) => {
  const { notFound = true, ...rest } = options;
  const send = sender(rest);
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
 * For Fastify's `frameworkErrors` server option: a URL that does not decode
 * (`FST_ERR_BAD_URL`, 400) or a parameter over `maxParamLength`, which Fastify answers
 * itself before any hook runs, get the same problem body as every other error.
 *
 * @example
 * const app = Fastify({ frameworkErrors: frameworkErrors({ production: true }) });
 */
export function frameworkErrors(
  options?: ErrorResponderOptions,
): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  const send = sender(options);
  return (err, req, reply) => void send(err, req, reply);
}

export type { ErrorResponderOptions };
