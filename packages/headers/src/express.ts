import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { readNodeBody } from './body.js';
import type { SecurityHeadersOptions } from './headers.js';
import {
  createReportReceiver,
  type ReportReceiver,
  type ReportReceiverOptions,
} from './reports.js';
import { createSecurityHeaders } from './security-headers.js';

declare global {
  namespace Express {
    interface Locals {
      /** This response's CSP nonce, set by `securityHeaders()`. */
      cspNonce?: string;
    }
  }
}

/**
 * Express middleware that sets the security headers on every response, removes
 * X-Powered-By and exposes this response's CSP nonce as `res.locals.cspNonce`.
 *
 * @example
 * app.use(securityHeaders({ contentSecurityPolicy: { reportUri: '/csp-report' } }));
 */
export function securityHeaders(options?: SecurityHeadersOptions): RequestHandler {
  const engine = createSecurityHeaders(options);
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = engine.apply(res);
    if (nonce !== undefined) res.locals.cspNonce = nonce;
    next();
  };
}

export interface ExpressReportOptions extends ReportReceiverOptions {
  /** Share a receiver (and its counters) instead of creating one. */
  receiver?: ReportReceiver;
}

function bodyOf(req: Request): string | Uint8Array | undefined {
  const body: unknown = req.body;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return body !== undefined && req.readableEnded ? JSON.stringify(body) : undefined;
}

/**
 * The CSP violation receiver as an Express handler. Mount it before any body parser
 * that would consume `application/csp-report` or `application/reports+json`.
 *
 * @example
 * app.post('/csp-report', cspReportHandler({ onViolation: (v) => log.warn(v, 'csp violation') }));
 */
export function cspReportHandler(
  options: ExpressReportOptions = {},
): RequestHandler & { receiver: ReportReceiver } {
  const { receiver: shared, ...rest } = options;
  const receiver = shared ?? createReportReceiver(rest);
  const handler = (req: Request, res: Response, next: NextFunction) => {
    receiver
      .handle({
        method: req.method,
        contentType: req.headers['content-type'],
        contentLength: req.headers['content-length'],
        clientIp: req.socket.remoteAddress,
        read: (limit) => bodyOf(req) ?? readNodeBody(req, limit),
      })
      .then((r) => {
        res.status(r.status).set(r.headers);
        res.end(r.body);
      }, next);
  };
  return Object.assign(handler, { receiver });
}

export type { SecurityHeadersOptions };
