import { getContext, toResponse } from '@platform/core';
import type { RouteHandler } from '../roles/next.js';
import { type AuthenticateOptions, authenticator } from './identity.js';

/**
 * Wraps a route handler so it runs only for a proven caller, with `actor` and `tenantId`
 * set on the request context; 401 problem+json otherwise. Put it inside `withRequestContext`.
 *
 * @example
 * export const GET = withRequestContext(withAuthentication(handler, { credentials: bearerJwt(verifier) }));
 */
export function withAuthentication<A extends unknown[]>(
  handler: RouteHandler<A>,
  options: AuthenticateOptions,
): RouteHandler<A> {
  const auth = authenticator(options);
  return async (request, ...args) => {
    const headers = request.headers;
    const refusal = await auth.run(
      { header: (name) => headers.get(name) ?? undefined },
      getContext(),
    );
    return refusal ? toResponse(refusal) : handler(request, ...args);
  };
}
