import { parseEnv } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { withErrorHandling } from '@platform/errors/next';
import { z } from 'zod';
import { isAuthRoute } from '../../shared/demo-login';
import { authenticateRequest } from './access';
import { audit } from './features/audit';
import { cost } from './features/cost';
import { flags } from './features/flags';
import { headers } from './features/headers';
import { metricsFeature } from './features/metrics';
import { ratelimit } from './features/ratelimit';
import { tracing } from './features/tracing';
import type { Handler, RouteFeature } from './features/types';

/**
 * Next hides the socket address, so the client IP is only known through the proxy in
 * front of it. `TRUST_PROXY_HOPS` (default 0: IP unknown) says how many proxies to trust;
 * `next start` alone counts as one, since it fills X-Forwarded-For when the client sent none.
 */
const { TRUST_PROXY_HOPS: trustProxy } = parseEnv(
  z.object({ TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0) }),
);

/** Outermost first: each wraps everything listed after it. */
// audit outside ratelimit: refused writes (429) are audited too, as on every framework
const features: RouteFeature[] = [tracing, metricsFeature, headers, audit, ratelimit, flags, cost];

/**
 * Composes the @platform wrappers for one route handler: the request context
 * outermost, so every later layer and every error body carries the request id; then
 * authentication (lib/access.ts; not for the login's own /auth/* routes), the features in
 * chain order, and problem+json error handling around the
 * handler itself.
 */
export function route<A extends unknown[]>(template: string, handler: Handler<A>) {
  let wrapped: Handler<A> = withErrorHandling(handler);
  for (const feature of [...features].reverse()) wrapped = feature(wrapped, { route: template });
  const inner = wrapped;
  const authed: Handler<A> = isAuthRoute(template)
    ? inner
    : async (request, ...rest) => (await authenticateRequest(request)) ?? inner(request, ...rest);
  return withRequestContext(authed, {
    route: template,
    ...(trustProxy > 0 ? { trustProxy } : {}),
  });
}
