import { nextRoute } from '@platform/core/next';
import { createReportReceiver, createSecurityHeaders } from '@platform/headers';
import type { RouteFeature } from './types';

/** Where browsers send CSP violation reports (app/api/csp-report/route.ts). */
export const CSP_REPORT_PATH = '/api/csp-report';

const api = createSecurityHeaders({ preset: 'api' });
// Per module, not per process: the receiver reads the request context of the bundle it is
// in. Without a callback, violations are JSON lines ("csp violation") on stderr, repeated ones
// summed up into one line with a count each second (the default is 10 s).
const receiver = createReportReceiver({ aggregateMs: 1_000 });

/**
 * @platform/headers in the example, for route handlers: every response (errors and 429s
 * included, since both are made inside this wrapper) gets the `api` preset. Pages get the
 * `html` preset: its static part from next.config.ts, its nonce CSP from proxy.ts.
 */
export const headers: RouteFeature =
  (handler) =>
  async (request, ...rest) => {
    const response = await handler(request, ...rest);
    try {
      return withApiHeaders(response);
    } catch {
      // an immutable Response (e.g. one from fetch): copy it
      return withApiHeaders(new Response(response.body, response));
    }
  };

function withApiHeaders(response: Response): Response {
  api.apply({
    setHeader: (name, value) => response.headers.set(name, value),
    removeHeader: (name) => response.headers.delete(name),
  });
  return response;
}

/** The CSP violation receiver as a route handler body (its counters: `cspReceiver.stats()`). */
export const receiveCspReport = nextRoute(receiver.handle);

export const cspReceiver = receiver;
