import { setActor, setTenant } from '@platform/core';
import type { RequestHandler } from 'express';

/** The tests' stand-in for authentication: actor from `x-user` / `x-roles`, tenant from `x-tenant`. */
export function headerAuth(): RequestHandler {
  return (req, _res, next) => {
    const user = req.get('x-user');
    if (user) setActor({ type: 'user', id: user, roles: (req.get('x-roles') ?? '').split(',') });
    setTenant(req.get('x-tenant') ?? undefined);
    next();
  };
}
