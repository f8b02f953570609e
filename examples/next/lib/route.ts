import { withRequestContext } from '@platform/core/next';
import { withErrorHandling } from '@platform/errors/next';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Composes the @platform wrappers for one route handler: the request context
 * outermost, so error bodies and headers carry the request id, then problem+json
 * error handling around the handler itself.
 */
export function route<A extends unknown[]>(template: string, handler: Handler<A>) {
  return withRequestContext(withErrorHandling(handler), { route: template });
}
