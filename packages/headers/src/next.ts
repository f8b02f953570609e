import { processSingleton } from '@platform/core';
import { type NextRequestContextOptions, withRequestContext } from '@platform/core/next';
import { readWebBody } from './body.js';
import type { SecurityHeadersOptions } from './headers.js';
import {
  createReportReceiver,
  type ReportReceiver,
  type ReportReceiverOptions,
} from './reports.js';
import { createSecurityHeaders, type SecurityHeaders } from './security-headers.js';

/** One entry of next.config's `headers()` result. */
export interface NextHeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

type Registry = { staticCsp?: boolean; nonceCsp?: boolean; warned?: boolean };
// One per process: next.config and proxy.ts load separate copies of this module.
const registry = processSingleton('@platform/headers.next', 1, (): Registry => ({}));

const CONFLICT =
  '@platform/headers: a static Content-Security-Policy (next.config headers()) and a nonce ' +
  'CSP (proxy.ts) would both be sent. Browsers enforce both, so the static one blocks the ' +
  "nonce'd scripts. Pass contentSecurityPolicy: false to nextSecurityHeaders().";

function note(kind: 'staticCsp' | 'nonceCsp', warn: (message: string) => void): void {
  registry[kind] = true;
  if (registry.staticCsp && registry.nonceCsp && !registry.warned) {
    registry.warned = true;
    warn(CONFLICT);
  }
}

/**
 * The static header set for next.config's `headers()`. A nonce CSP cannot be static, so it
 * is left out here and set per request by `securityHeadersForProxy` in proxy.ts.
 *
 * @example
 * // next.config.ts
 * export default { headers: async () => nextSecurityHeaders({ preset: 'html' }) };
 */
export function nextSecurityHeaders(
  options?: SecurityHeadersOptions,
  { source = '/:path*', onWarning = console.warn } = {},
): NextHeaderRule[] {
  const engine = createSecurityHeaders(options);
  if (engine.csp && !engine.usesNonce) note('staticCsp', onWarning);
  // Reporting-Endpoints travels with the CSP: when the proxy sends the CSP, it sends both.
  const fromProxy = engine.usesNonce ? cspCompanions(engine) : new Set<string>();
  const headers = engine.headers.filter(([key]) => !fromProxy.has(key));
  return [{ source, headers: headers.map(([key, value]) => ({ key, value })) }];
}

function cspCompanions(engine: SecurityHeaders): Set<string> {
  const names = new Set<string>();
  if (engine.csp) names.add(engine.csp.header);
  if (engine.csp?.reportingEndpoints) names.add('Reporting-Endpoints');
  return names;
}

export interface ProxySecurityOptions extends SecurityHeadersOptions {
  /** `csp` (default): the CSP (and its Reporting-Endpoints), next.config sends the rest; `all`: every header. */
  include?: 'csp' | 'all';
  /** Receives the one-time warning about a static and a nonce CSP (default console.warn). */
  onWarning?: (message: string) => void;
}

export interface ProxySecurityHeaders {
  nonce?: string;
  /** Forward these: the CSP (Next reads its nonce from there) and `x-nonce`. */
  requestHeaders: Headers;
  /** Set these on the response. */
  responseHeaders: Headers;
}

/**
 * For proxy.ts: a fresh nonce per request, the CSP on both the forwarded request (so Next
 * puts the nonce on its own scripts) and the response, and the nonce as `x-nonce`.
 *
 * @example
 * const secure = securityHeadersForProxy();
 * export function proxy(request: NextRequest) {
 *   const { requestHeaders, responseHeaders } = secure(request);
 *   const res = NextResponse.next({ request: { headers: requestHeaders } });
 *   responseHeaders.forEach((value, key) => res.headers.set(key, value));
 *   return res;
 * }
 */
export function securityHeadersForProxy(
  options: ProxySecurityOptions = {},
): (request: Request, requestHeaders?: Headers) => ProxySecurityHeaders {
  const { include = 'csp', onWarning = console.warn, ...rest } = options;
  const engine = createSecurityHeaders(rest);
  if (engine.usesNonce) note('nonceCsp', onWarning);
  const csp = cspCompanions(engine);
  return (request, base) => {
    const { nonce, headers } = engine.forResponse();
    const requestHeaders = new Headers(base ?? request.headers);
    // Never forward a client-supplied nonce or policy: Next would trust it.
    for (const name of [
      'x-nonce',
      'content-security-policy',
      'content-security-policy-report-only',
    ]) {
      requestHeaders.delete(name);
    }
    const responseHeaders = new Headers();
    for (const [name, value] of headers) {
      if (name === engine.csp?.header) requestHeaders.set(name, value);
      if (include === 'all' || csp.has(name)) responseHeaders.set(name, value);
    }
    if (nonce !== undefined) requestHeaders.set('x-nonce', nonce);
    return { nonce, requestHeaders, responseHeaders };
  };
}

export interface NextReportOptions extends ReportReceiverOptions {
  receiver?: ReportReceiver;
  /** Options for the request context the route opens (so violations carry the request id). */
  requestContext?: NextRequestContextOptions;
}

/**
 * The CSP violation receiver as an App Router route handler.
 *
 * @example
 * // app/csp-report/route.ts
 * export const POST = cspReportRoute({ onViolation: (v) => log.warn(v, 'csp violation') });
 */
export function cspReportRoute(
  options: NextReportOptions = {},
): ((request: Request) => Promise<Response>) & { receiver: ReportReceiver } {
  const { receiver: shared, requestContext, ...rest } = options;
  const receiver = shared ?? createReportReceiver(rest);
  const handler = withRequestContext(async (request: Request) => {
    const r = await receiver.handle({
      method: request.method,
      contentType: request.headers.get('content-type') ?? undefined,
      contentLength: request.headers.get('content-length') ?? undefined,
      read: (limit) => readWebBody(request, limit),
    });
    return new Response(r.body ?? null, { status: r.status, headers: r.headers });
  }, requestContext);
  return Object.assign(handler, { receiver });
}

export type { SecurityHeadersOptions };
