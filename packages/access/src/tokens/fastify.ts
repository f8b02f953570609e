import { firstHeader, getContext } from '@platform/core';
import { sendAnswer } from '@platform/core/fastify';
import type { AccessHook } from '../roles/fastify.js';
import { type AuthenticateOptions, authenticator } from './identity.js';

/**
 * A Fastify hook that proves who is calling and sets `actor` and `tenantId` on the request
 * context; 401 problem+json otherwise. Register core's `requestContext` first.
 *
 * @example
 * app.addHook('onRequest', authenticate({ credentials: bearerJwt(verifier) }));
 */
export function authenticate(options: AuthenticateOptions): AccessHook {
  const auth = authenticator(options);
  return async (req, reply) => {
    const context = req.platformContext ?? getContext();
    const refusal = await auth.run({ header: (name) => firstHeader(req.headers, name) }, context);
    return refusal ? sendAnswer(reply, refusal) : undefined;
  };
}
