import { expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { SecurityHeadersOptions } from './headers.js';
import { type ReportReceiver, type ReportRouteOptions, receiverFor } from './reports.js';
import { createSecurityHeaders } from './security-headers.js';

declare global {
  namespace Express {
    /** `cspNonce`: this response's CSP nonce, set by `securityHeaders()`. */
    interface Locals {
      cspNonce?: string;
    }
  }
}

/**
 * Express middleware: the security headers on every response, no X-Powered-By, and this
 * response's CSP nonce as `res.locals.cspNonce`. @example app.use(securityHeaders());
 */
export function securityHeaders(options?: SecurityHeadersOptions): RequestHandler {
  const engine = createSecurityHeaders(options);
  return (_req, res, next) => {
    const nonce = engine.apply(res);
    if (nonce !== undefined) res.locals.cspNonce = nonce;
    next();
  };
}

/**
 * The CSP violation receiver as an Express handler, mounted before any body parser that
 * would consume its body. @example app.post('/csp-report', cspReportHandler({ onViolation }));
 */
export function cspReportHandler(options: ReportRouteOptions = {}) {
  const receiver = receiverFor(options);
  return Object.assign(expressRoute(receiver.handle), { receiver }) as RequestHandler & {
    receiver: ReportReceiver;
  };
}

export type { ReportRouteOptions as ExpressReportOptions, SecurityHeadersOptions };
