import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { getContext, type RequestContext, runRequest } from './context.js';
import { bindExpressContext, contextOf, openExpressExchange } from './express-exchange.js';
import { nodeRequest, writeAnswer } from './http/node.js';
import type { NeutralHandler } from './http/request.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

export { contextOf, expressExchange } from './express-exchange.js';

/**
 * Express middleware that opens the request context: request id (validated or a fresh
 * UUIDv7, echoed in `X-Request-ID`), client IP, tenant. Mount it first.
 *
 * @example
 * app.use(requestContext({ trustProxy: ['loopback'] }));
 */
export function requestContext(options?: RequestContextOptions): RequestHandler {
  const engine = createRequestContext(options);
  return (req: Request, res: Response, next: NextFunction) => {
    const started = engine.begin(openExpressExchange(req, res));
    if (started instanceof Promise) started.then((ctx) => enter(req, ctx, next), next);
    else enter(req, started, next);
  };
}

function enter(req: Request, ctx: RequestContext, next: NextFunction): void {
  bindExpressContext(req, ctx);
  runRequest(ctx, next);
}

export type { RequestContextOptions };

/**
 * Mounts a neutral handler (any package's: audit, cost, flags admin, log levels, ...) as an
 * Express route or middleware. The mount path is the request's `base`.
 *
 * @example
 * app.get('/admin/audit/events', expressRoute(handlers.search));
 */
export function expressRoute(handler: NeutralHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const request = nodeRequest(req, { context: contextOf(req) ?? getContext() });
    let answer: ReturnType<NeutralHandler>;
    try {
      answer = handler(request);
    } catch (err) {
      next(err);
      return;
    }
    Promise.resolve(answer).then(
      (a) => (a === undefined ? next() : writeAnswer(res, a).catch(next)),
      next,
    );
  };
}
