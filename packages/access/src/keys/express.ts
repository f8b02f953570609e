import { type Answer, getContext, writeAnswer } from '@platform/core';
import { contextOf, expressExchange } from '@platform/core/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type ApiKeyAuthOptions, apiKeyCheck, scopeCheck } from './authenticate.js';

function proceed(res: Response, next: NextFunction, refusal: Answer | undefined): void {
  if (refusal) writeAnswer(res, refusal).catch(next);
  else next();
}

const contextFor = (req: Request) => contextOf(req) ?? getContext();

/**
 * Express middleware: verifies the API key in `X-API-Key` or `Authorization: Bearer` and
 * sets the actor, tenant and key in the request context; 401 problem+json otherwise.
 *
 * @example
 * app.use(requestContext());
 * app.use('/api', apiKeyAuth({ keys }));
 * app.get('/api/invoices', requireScope('invoices:read'), list);
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): RequestHandler {
  const check = apiKeyCheck(options);
  return (req, res, next) => {
    check(expressExchange(req, res), contextFor(req)).then((r) => proceed(res, next, r), next);
  };
}

/** Express middleware: 403 problem+json unless the request's API key has every scope. */
export function requireScope(...scopes: string[]): RequestHandler {
  const check = scopeCheck(scopes);
  return (req, res, next) => proceed(res, next, check(expressExchange(req, res), contextFor(req)));
}
