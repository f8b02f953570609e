import { rateLimiter } from '@platform/ratelimit';

/** High enough that no request of a run is refused. */
export const LIMIT = 100_000_000;

/**
 * One fixed-window policy per client IP, memory store: the same shape as the peers'
 * defaults (express-rate-limit and @fastify/rate-limit are fixed-window, keyed by IP).
 */
export function benchLimiter() {
  return rateLimiter({
    name: 'bench',
    policies: { name: 'per-ip', limit: LIMIT, window: '1m', by: 'ip', algorithm: 'fixed' },
    log: false,
  });
}

/**
 * The README's quick-start limiter with the package's defaults (sliding window, deny log):
 * per user, per IP when anonymous, never reached.
 */
export function defaultLimiter() {
  return rateLimiter({
    name: 'api',
    policies: { name: 'per-user', limit: LIMIT, window: '1m', by: 'user' },
  });
}
