import { nextRoute } from '@platform/core/next';
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
 * `c.get('cspNonce')` for the page's scripts and styles.
 *
 * @example
 * app.use(securityHeaders({ preset: 'html' }));
 * app.get('/', (c) => c.html(`<script nonce="${c.get('cspNonce')}">boot()</script>`));
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

/**
 * The CSP violation receiver as a Hono handler.
 *
 * @example
 * app.post('/csp-report', cspReportRoute({ onViolation: (v) => log.warn(v, 'csp violation') }));
 */
export function cspReportRoute(
  options: ReportRouteOptions = {},
): ((c: Context) => Promise<Response>) & { receiver: ReportReceiver } {
  const receiver = receiverFor(options);
  const route = nextRoute(receiver.handle);
  return Object.assign((c: Context) => route(c.req.raw), { receiver });
}

export type { SecurityHeadersOptions };
