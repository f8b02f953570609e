import { getContext } from '@platform/core';
import { contextOf } from '@platform/core/express';
import type { RequestHandler } from 'express';
import { answerOrNext } from '../roles/express.js';
import { type AuthenticateOptions, authenticator } from './identity.js';

/**
 * Express middleware that proves who is calling (bearer JWT, session cookie, API key, ...)
 * and sets `actor` and `tenantId` on the request context; 401 problem+json otherwise. Mount
 * it after core's `requestContext`.
 *
 * @example
 * app.use('/api', authenticate({ credentials: bearerJwt(verifier) }));
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  const auth = authenticator(options);
  return (req, res, next) => {
    auth
      .run({ header: (name) => req.get(name) }, contextOf(req) ?? getContext())
      .then((answer) => answerOrNext(res, next, answer), next);
  };
}
