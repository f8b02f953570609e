import { getContext } from '@platform/core';
import { fastifyExchange, sendAnswer } from '@platform/core/fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeyAuthOptions, apiKeyCheck, scopeCheck } from './authenticate.js';

type Hook = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

const contextFor = (req: FastifyRequest) => req.platformContext ?? getContext();

/**
 * A Fastify `onRequest` hook: verifies the API key in `X-API-Key` or `Authorization: Bearer`
 * and sets the actor, tenant and key in the request context; 401 problem+json otherwise.
 * Add it after `@platform/core/fastify`'s `requestContext`.
 *
 * @example
 * app.addHook('onRequest', apiKeyAuth({ keys }));
 * app.get('/invoices', { onRequest: requireScope('invoices:read') }, list);
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): Hook {
  const check = apiKeyCheck(options);
  return async (req, reply) => {
    const refusal = await check(fastifyExchange(req, reply), contextFor(req));
    return refusal ? sendAnswer(reply, refusal) : undefined;
  };
}

/** A Fastify hook: 403 problem+json unless the request's API key has every scope. */
export function requireScope(...scopes: string[]): Hook {
  const check = scopeCheck(scopes);
  return async (req, reply) => {
    const refusal = check(fastifyExchange(req, reply), contextFor(req));
    return refusal ? sendAnswer(reply, refusal) : undefined;
  };
}
