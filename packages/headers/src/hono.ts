import { honoRoute } from '@platform/core/hono';
import type { Context, MiddlewareHandler } from 'hono';
import { withSecurityHeaders } from './fetch-headers.js';
import type { SecurityHeadersOptions } from './headers.js';
import { type ReportReceiver, type ReportRouteOptions, receiverFor } from './reports.js';
import { createSecurityHeaders } from './security-headers.js';

/** What `securityHeaders()` keeps on Hono's context: this response's CSP nonce. */
export type SecurityHeadersEnv = { Variables: { cspNonce?: string } };

/**
 * Hono middleware: the security headers on every response (404s and `onError` answers
 * included) unless the handler set one itself, and this response's CSP nonce as
 * `c.get('cspNonce')`. @example app.use(securityHeaders({ preset: 'html' }));
 */
export function securityHeaders(
  options?: SecurityHeadersOptions,
): MiddlewareHandler<SecurityHeadersEnv> {
  const engine = createSecurityHeaders(options);
  return async (c, next) => {
    const { nonce, headers } = engine.forResponse();
    if (nonce !== undefined) c.set('cspNonce', nonce);
    await next();
    const res = withSecurityHeaders(c.res, headers, engine.removePoweredBy);
    if (res !== c.res) c.res = res;
  };
}

/** The CSP violation receiver as a Hono handler: `app.post('/csp-report', cspReportRoute())`. */
export function cspReportRoute(
  options: ReportRouteOptions = {},
): ((c: Context) => Promise<Response>) & { receiver: ReportReceiver } {
  const receiver = receiverFor(options);
  return Object.assign(honoRoute(receiver.handle), { receiver });
}

export type { SecurityHeadersOptions };
