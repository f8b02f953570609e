import { type NextRequestContextOptions, nextRoute, withRequestContext } from '@platform/core/next';
import type { SecurityHeadersOptions } from './headers.js';
import { type ReportReceiver, type ReportRouteOptions, receiverFor } from './reports.js';

export {
  type NextHeaderRule,
  nextSecurityHeaders,
  type ProxySecurityHeaders,
  type ProxySecurityOptions,
  securityHeadersForProxy,
  type WarningOptions,
} from './fetch-headers.js';

export interface NextReportOptions extends ReportRouteOptions {
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
  const { requestContext, ...rest } = options;
  const receiver = receiverFor(rest);
  const handler = withRequestContext(nextRoute(receiver.handle), requestContext);
  return Object.assign(handler, { receiver });
}

export type { SecurityHeadersOptions };
