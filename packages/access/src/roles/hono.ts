import { getContext, toResponse } from '@platform/core';
import { contextOf } from '@platform/core/hono';
import type { MiddlewareHandler } from 'hono';
import { type Guard, type GuardOptions, permissionGuard, roleGuard } from './guard.js';

function guarded(guard: Guard): MiddlewareHandler {
  return async (c, next) => {
    const refusal = guard.check(contextOf(c) ?? getContext());
    if (refusal) return toResponse(refusal);
    await next();
  };
}

/**
 * Hono middleware admitting actors with `role` (or a role including it): 401/403 problem+json.
 *
 * @example
 * app.post('/admin/flags', authenticate({ credentials }), requireRole('admin'), handler);
 */
export function requireRole(role: string, options?: GuardOptions): MiddlewareHandler {
  return guarded(roleGuard(role, options));
}

/**
 * Hono middleware admitting actors whose roles grant `permission`.
 *
 * @example
 * app.put('/flags/:key', requirePermission('flags:write'), handler);
 */
export function requirePermission(permission: string, options?: GuardOptions): MiddlewareHandler {
  return guarded(permissionGuard(permission, options));
}
