import { expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { SecurityHeadersOptions } from './headers.js';
import { type ReportReceiver, type ReportRouteOptions, receiverFor } from './reports.js';
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
  return (_req, res, next) => {
    const nonce = engine.apply(res);
    if (nonce !== undefined) res.locals.cspNonce = nonce;
    next();
  };
}

export type ExpressReportOptions = ReportRouteOptions;

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
  const receiver = receiverFor(options);
  return Object.assign(expressRoute(receiver.handle), { receiver });
}

export type { SecurityHeadersOptions };
