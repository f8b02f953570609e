import { requestIdForProxy } from '@platform/core/next';
import { securityHeadersForProxy } from '@platform/headers/next';
import { type NextRequest, NextResponse } from 'next/server';
import { CSP_REPORT_PATH } from './lib/features/headers';

const requestIds = requestIdForProxy();
// The whole `html` preset per page response. (next.config.ts cannot import the workspace
// sources, so nextSecurityHeaders() is not used there; hence `include: 'all'`.)
// PLATFORM_CSP_REPORT_TO=false reports through report-uri only, for plain-http origins,
// where Chromium does not upload report-to reports (the browser test runs over http).
const secure = securityHeadersForProxy({
  preset: 'html',
  include: 'all',
  contentSecurityPolicy: {
    reportUri: CSP_REPORT_PATH,
    reportTo: process.env.PLATFORM_CSP_REPORT_TO !== 'false',
  },
});

// Route handlers send the `api` preset themselves (lib/features/headers.ts); headers set
// here would override theirs.
const ROUTE_HANDLERS = /^\/(?:api\/|health(?:\/ready|\/status)?$)/;

/**
 * Gives every request, pages included, a validated request id before it reaches the app;
 * pages (not route handlers) also get a fresh CSP
 * nonce, on the forwarded request (Next puts it on its scripts) and on the response.
 */
export function proxy(request: NextRequest) {
  const ids = requestIds(request);
  if (ROUTE_HANDLERS.test(request.nextUrl.pathname)) {
    const response = NextResponse.next({ request: { headers: ids.requestHeaders } });
    response.headers.set(ids.header, ids.requestId);
    return response;
  }
  const { requestHeaders, responseHeaders } = secure(request, ids.requestHeaders);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  responseHeaders.forEach((value, name) => {
    response.headers.set(name, value);
  });
  response.headers.set(ids.header, ids.requestId);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
