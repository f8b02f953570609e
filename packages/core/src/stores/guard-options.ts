import { z } from 'zod';

/** The breaker every built-in store starts with: 5 weighted failures and half the calls in 1 s open it for 1 s. */
export const DEFAULT_BREAKER = {
  failureThreshold: 5,
  failureRate: 0.5,
  windowMs: 1000,
  cooldownMs: 1000,
} as const;

/** What a store's options accept for its guard; `breaker: false` disables the breaker. */
export interface GuardOptionsInput {
  timeoutMs?: number;
  maxTimeoutMs?: number;
  breaker?:
    | false
    | { failureThreshold?: number; failureRate?: number; windowMs?: number; cooldownMs?: number };
}

/**
 * The zod schema of a store's deadline and breaker options, with the store's own default
 * deadlines: extend it with the store's other options and hand the result to `createGuard`.
 *
 * @example
 * const schema = guardOptionsSchema({ timeoutMs: 50, maxTimeoutMs: 1000 }).extend({ prefix: z.string() });
 * const opts = parseOptions(schema, options, 'myStore');
 * const guard = createGuard({ timeoutMs: opts.timeoutMs, maxTimeoutMs: opts.maxTimeoutMs }, opts.breaker);
 */
export function guardOptionsSchema(defaults: { timeoutMs: number; maxTimeoutMs: number }) {
  return z.object({
    timeoutMs: z.number().int().min(1).max(60_000).default(defaults.timeoutMs),
    maxTimeoutMs: z.number().int().min(1).max(60_000).default(defaults.maxTimeoutMs),
    breaker: z
      .union([
        z.literal(false),
        z.object({
          failureThreshold: z.number().min(1).max(1000).default(DEFAULT_BREAKER.failureThreshold),
          failureRate: z.number().gt(0).max(1).default(DEFAULT_BREAKER.failureRate),
          windowMs: z.number().int().min(10).max(600_000).default(DEFAULT_BREAKER.windowMs),
          cooldownMs: z.number().int().min(1).max(600_000).default(DEFAULT_BREAKER.cooldownMs),
        }),
      ])
      .default({ ...DEFAULT_BREAKER }),
  });
}
