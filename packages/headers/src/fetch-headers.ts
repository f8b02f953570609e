import { type DiagnosticsOptions, diagnostics, processSingleton } from '@platform/core';
import type { SecurityHeadersOptions } from './headers.js';
import { createSecurityHeaders, type SecurityHeaders } from './security-headers.js';

/** One entry of next.config's `headers()` result. */
export interface NextHeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

/** Where the one-time warning about two CSPs goes. */
export interface WarningOptions extends DiagnosticsOptions {
  /** @deprecated Use `logger`. Receives the warning text instead of the logger. */
  onWarning?: (message: string) => void;
}

type Registry = { staticCsp?: boolean; nonceCsp?: boolean; warned?: boolean };
// One per process: next.config and proxy.ts load separate copies of this module.
const registry = processSingleton('@platform/headers.next', 1, (): Registry => ({}));

const CONFLICT =
  '@platform/headers: a static Content-Security-Policy (next.config headers()) and a nonce ' +
  'CSP (proxy.ts) would both be sent. Browsers enforce both, so the static one blocks the ' +
  "nonce'd scripts. Pass contentSecurityPolicy: false to nextSecurityHeaders().";

function note(kind: 'staticCsp' | 'nonceCsp', options: WarningOptions): void {
  registry[kind] = true;
  if (!registry.staticCsp || !registry.nonceCsp || registry.warned) return;
  registry.warned = true;
  if (options.onWarning) options.onWarning(CONFLICT);
  else diagnostics('@platform/headers', options).warn('HEADERS_CSP_CONFLICT', CONFLICT);
}

/** The headers that travel with the CSP: when the proxy sends the CSP, it sends both. */
function cspCompanions(engine: SecurityHeaders): Set<string> {
  const names = new Set<string>();
  if (engine.csp) names.add(engine.csp.header);
  if (engine.csp?.reportingEndpoints) names.add('Reporting-Endpoints');
  return names;
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
  { source = '/:path*', ...warnings }: WarningOptions & { source?: string } = {},
): NextHeaderRule[] {
  const engine = createSecurityHeaders(options);
  if (engine.csp && !engine.usesNonce) note('staticCsp', warnings);
  const fromProxy = engine.usesNonce ? cspCompanions(engine) : new Set<string>();
  const headers = engine.headers.filter(([key]) => !fromProxy.has(key));
  return [{ source, headers: headers.map(([key, value]) => ({ key, value })) }];
}

export interface ProxySecurityOptions extends SecurityHeadersOptions, WarningOptions {
  /** `csp` (default): the CSP (and its Reporting-Endpoints), next.config sends the rest; `all`: every header. */
  include?: 'csp' | 'all';
}

export interface ProxySecurityHeaders {
  nonce?: string;
  /** Forward these: the CSP (Next reads its nonce from there) and `x-nonce`. */
  requestHeaders: Headers;
  /** Set these on the response. */
  responseHeaders: Headers;
}

// Never forwarded as the client sent them: Next would trust a client's nonce or policy.
const SPOOFABLE = ['x-nonce', 'content-security-policy', 'content-security-policy-report-only'];

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
  const { include = 'csp', onWarning, logger, onError, ...rest } = options;
  const engine = createSecurityHeaders(rest);
  if (engine.usesNonce) note('nonceCsp', { onWarning, logger, onError });
  const csp = cspCompanions(engine);
  return (request, base) => {
    const { nonce, headers } = engine.forResponse();
    const requestHeaders = new Headers(base ?? request.headers);
    for (const name of SPOOFABLE) requestHeaders.delete(name);
    const responseHeaders = new Headers();
    for (const [name, value] of headers) {
      if (name === engine.csp?.header) requestHeaders.set(name, value);
      if (include === 'all' || csp.has(name)) responseHeaders.set(name, value);
    }
    if (nonce !== undefined) requestHeaders.set('x-nonce', nonce);
    return { nonce, requestHeaders, responseHeaders };
  };
}

/**
 * A Fetch response with the security headers: those the handler did not set itself are
 * added (X-Powered-By removed when the options say so). A response whose headers are
 * immutable (one from `fetch()`) is copied first.
 *
 * @example
 * const { headers } = createSecurityHeaders({ preset: 'api' }).forResponse();
 * return withSecurityHeaders(response, headers, true);
 */
export function withSecurityHeaders(
  response: Response,
  headers: ReadonlyArray<readonly [string, string]>,
  removePoweredBy: boolean,
): Response {
  try {
    addMissing(response.headers, headers, removePoweredBy);
    return response;
  } catch {
    // Response.error() is immutable too, but its status 0 cannot be copied.
    if (response.type === 'error') return response;
    const copy = new Response(response.body, response);
    addMissing(copy.headers, headers, removePoweredBy);
    return copy;
  }
}

function addMissing(
  target: Headers,
  headers: ReadonlyArray<readonly [string, string]>,
  removePoweredBy: boolean,
): void {
  if (removePoweredBy) target.delete('x-powered-by');
  for (const [name, value] of headers) if (!target.has(name)) target.set(name, value);
}
