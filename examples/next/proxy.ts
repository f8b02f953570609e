import { requestIdForProxy } from '@platform/core/next';
import { type NextRequest, NextResponse } from 'next/server';

const requestIds = requestIdForProxy();

/** Gives every request, pages included, a validated request id before it reaches the app. */
export function proxy(request: NextRequest) {
  const { requestHeaders, requestId, header } = requestIds(request);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(header, requestId);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
