import { getContext, toResponse } from '@platform/core';
import { contextOf } from '@platform/core/hono';
import type { MiddlewareHandler } from 'hono';
import { type AuthenticateOptions, authenticator } from './identity.js';

/**
 * Hono middleware that proves who is calling and sets `actor` and `tenantId` on the request
 * context; 401 problem+json otherwise. Mount core's `requestContext` first.
 *
 * @example
 * app.use('/api/*', authenticate({ credentials: bearerJwt(verifier) }));
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  const auth = authenticator(options);
  return async (c, next) => {
    const refusal = await auth.run(
      { header: (name) => c.req.header(name) },
      contextOf(c) ?? getContext(),
    );
    if (refusal) return toResponse(refusal);
    await next();
  };
}
