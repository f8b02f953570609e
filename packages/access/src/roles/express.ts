import { type Answer, getContext, writeAnswer } from '@platform/core';
import { contextOf } from '@platform/core/express';
import type { NextFunction, RequestHandler, Response } from 'express';
import { type Guard, type GuardOptions, permissionGuard, roleGuard } from './guard.js';

/** Sends the refusal, or goes on. */
export function answerOrNext(res: Response, next: NextFunction, answer: Answer | undefined): void {
  if (answer) writeAnswer(res, answer).catch(next);
  else next();
}

function guarded(guard: Guard): RequestHandler {
  return (req, res, next) => answerOrNext(res, next, guard.check(contextOf(req) ?? getContext()));
}

/**
 * Express middleware admitting actors with `role` (or a role including it): 401 problem+json
 * without an identity, 403 without the role. Mount it after `authenticate`.
 *
 * @example
 * app.post('/admin/flags', authenticate({ credentials }), requireRole('admin'), handler);
 */
export function requireRole(role: string, options?: GuardOptions): RequestHandler {
  return guarded(roleGuard(role, options));
}

/**
 * Express middleware admitting actors whose roles grant `permission`.
 *
 * @example
 * app.put('/flags/:key', requirePermission('flags:write'), handler);
 */
export function requirePermission(permission: string, options?: GuardOptions): RequestHandler {
  return guarded(permissionGuard(permission, options));
}
