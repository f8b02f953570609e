/** A Fetch `Request` as core's neutral exchange, and headers onto a Fetch `Response`. */
import type { HttpExchange } from './exchange.js';

/**
 * Adapts a Web `Request` (as Next route handlers and proxy.ts receive it) to the
 * neutral exchange. Next does not expose the socket address (`next start` fills
 * X-Forwarded-For with it only when the client sent none), so the exchange has no
 * `remoteAddress`: the client IP stays undefined unless `trustProxy` declares the
 * proxy in front of Next, whose X-Forwarded-For entries are then walked as usual.
 */
export function webExchange(
  request: Request,
  responseHeaders: Headers,
  route?: string,
): HttpExchange {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    route,
    remoteAddress: undefined,
    header(name) {
      return request.headers.get(name) ?? undefined;
    },
    setHeader(name, value) {
      responseHeaders.set(name, value);
    },
  };
}

/** Copies headers onto a response, cloning it when its headers are immutable. */
export function withHeaders(response: Response, headers: Headers): Response {
  try {
    headers.forEach((value, name) => {
      response.headers.set(name, value);
    });
    return response;
  } catch {
    // Response.error() is immutable too, but its status 0 cannot be copied.
    if (response.type === 'error') return response;
    const copy = new Response(response.body, response);
    headers.forEach((value, name) => {
      copy.headers.set(name, value);
    });
    return copy;
  }
}
