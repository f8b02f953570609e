import { getContext } from '@platform/core';
import { sendAnswer } from '@platform/core/fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Guard, type GuardOptions, permissionGuard, roleGuard } from './guard.js';

/** A Fastify hook (`onRequest` / `preHandler`, app-wide or in a route's options). */
export type AccessHook = (
  req: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

function guarded(guard: Guard): AccessHook {
  return async (req, reply) => {
    const refusal = guard.check(req.platformContext ?? getContext());
    return refusal ? sendAnswer(reply, refusal) : undefined;
  };
}

/**
 * A Fastify hook admitting actors with `role` (or a role including it): 401/403 problem+json.
 *
 * @example
 * app.post('/admin/flags', { preHandler: [authenticate({ credentials }), requireRole('admin')] }, handler);
 */
export function requireRole(role: string, options?: GuardOptions): AccessHook {
  return guarded(roleGuard(role, options));
}

/**
 * A Fastify hook admitting actors whose roles grant `permission`.
 *
 * @example
 * app.put('/flags/:key', { preHandler: requirePermission('flags:write') }, handler);
 */
export function requirePermission(permission: string, options?: GuardOptions): AccessHook {
  return guarded(permissionGuard(permission, options));
}
