import { withRequestContext } from '@platform/core/next';
import { withErrorHandling } from '@platform/errors/next';
import { applyDemoAuth } from '../../shared/demo-auth';
import { audit } from './features/audit';
import { cost } from './features/cost';
import { flags } from './features/flags';
import { headers } from './features/headers';
import { ratelimit } from './features/ratelimit';
import { tracing } from './features/tracing';
import type { Handler, RouteFeature } from './features/types';

/** Outermost first: each wraps everything listed after it. */
const features: RouteFeature[] = [tracing, headers, ratelimit, audit, flags, cost];

/**
 * Composes the @platform wrappers for one route handler: the request context
 * outermost, so every later layer and every error body carries the request id; then
 * demo auth, the features in chain order, and problem+json error handling around the
 * handler itself.
 */
export function route<A extends unknown[]>(template: string, handler: Handler<A>) {
  let wrapped: Handler<A> = withErrorHandling(handler);
  for (const feature of [...features].reverse()) wrapped = feature(wrapped, { route: template });
  const inner = wrapped;
  const authed: Handler<A> = (request, ...rest) => {
    applyDemoAuth((name) => request.headers.get(name));
    return inner(request, ...rest);
  };
  return withRequestContext(authed, { route: template });
}
