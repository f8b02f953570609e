import { getContext, toResponse } from '@platform/core';
import { type Guard, type GuardOptions, permissionGuard, roleGuard } from './guard.js';

/** An App Router route handler. */
export type RouteHandler<A extends unknown[]> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

function guarded<A extends unknown[]>(handler: RouteHandler<A>, guard: Guard): RouteHandler<A> {
  return (request, ...args) => {
    const refusal = guard.check(getContext());
    return refusal ? toResponse(refusal) : handler(request, ...args);
  };
}

/**
 * Wraps a route handler so only actors with `role` (or a role including it) reach it.
 * Put it inside `withRequestContext` and `withAuthentication`.
 *
 * @example
 * export const POST = withRequestContext(withAuthentication(withRole(handler, 'admin'), { credentials }));
 */
export function withRole<A extends unknown[]>(
  handler: RouteHandler<A>,
  role: string,
  options?: GuardOptions,
): RouteHandler<A> {
  return guarded(handler, roleGuard(role, options));
}

/**
 * Wraps a route handler so only actors whose roles grant `permission` reach it.
 *
 * @example
 * export const PUT = withRequestContext(withAuthentication(withPermission(handler, 'flags:write'), { credentials }));
 */
export function withPermission<A extends unknown[]>(
  handler: RouteHandler<A>,
  permission: string,
  options?: GuardOptions,
): RouteHandler<A> {
  return guarded(handler, permissionGuard(permission, options));
}
