import type { ErrorListener, PlatformLogger } from '@platform/core';
import { z } from 'zod';
import type { AggregatedViolation } from './report-limits.js';

/** A logger with at least `warn` (what the receiver logs at); a full pino logger fits. */
export type ReportLogger = Pick<PlatformLogger, 'warn'> & Partial<PlatformLogger>;

export interface ReportReceiverOptions {
  /** Largest accepted body in bytes (default 65536); larger bodies get 413. */
  maxBodyBytes?: number;
  /**
   * Called once per group of repeated violations (same directive, blocked URI and
   * document) every `aggregateMs`, with their `count`. Errors it throws are counted,
   * never propagated.
   */
  onViolation?: (violation: AggregatedViolation) => void;
  /**
   * Where violations (without `onViolation`) and the dropped-violation summaries (once per
   * `aggregateMs`) are logged, at warn. Default: @platform/core's process-wide logger (the
   * first `@platform/tracing` logger, else JSON lines on stderr).
   */
  logger?: ReportLogger;
  /** Called with each error the receiver handled itself (an `onViolation` that threw). */
  onError?: ErrorListener;
  /** Violations read from one report body (default 100); the rest are dropped and counted. */
  maxViolationsPerReport?: number;
  /**
   * Violations accepted per client address (an IPv6 client by its /64) in a fixed window
   * (default 500 per 60 s); `false` turns the quota off. The address is the request
   * context's `ip` (@platform/core, proxy-aware), else the socket's.
   */
  perClient?: { max?: number; windowMs?: number } | false;
  /** Client addresses the quota remembers (default 10,000); the stalest is forgotten first. */
  maxClients?: number;
  /**
   * How long repeated violations are summed up before one record per group is emitted
   * (default 10,000 ms); pending groups are also emitted by `flush()`, `close()` and at
   * shutdown. `0` emits each violation at once.
   */
  aggregateMs?: number;
  /** Distinct groups held between emits (default 200); violations beyond it are dropped and counted. */
  maxGroups?: number;
  /** Emit pending groups when @platform/core's `shutdown()` runs (default true). */
  shutdown?: boolean;
  /** @deprecated Use `shutdown`. */
  flushOnShutdown?: boolean;
}

export interface ReportStats {
  /** Report bodies accepted. */
  requests: number;
  violations: number;
  /** Violations per effective directive (unknown names count as `other`). */
  byDirective: Record<string, number>;
  rejected: { method: number; mediaType: number; tooLarge: number; malformed: number };
  /** Non-CSP reports (deprecation, intervention, …) in a reports+json batch. */
  ignored: number;
  /** Violations not emitted: over `maxViolationsPerReport`, over the client's quota, over `maxGroups`. */
  dropped: { perReport: number; perClient: number; groups: number };
  /** Records handed to `onViolation` / the logger (one per group and interval). */
  emitted: number;
  callbackErrors: number;
}

export const reportOptionsSchema = z.strictObject({
  maxBodyBytes: z
    .number()
    .int()
    .min(256)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  onViolation: z
    .custom<(v: AggregatedViolation) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  logger: z
    .custom<ReportLogger>(
      (v) => typeof (v as { warn?: unknown } | null)?.warn === 'function',
      'must have a warn(obj, msg) method',
    )
    .optional(),
  onError: z.custom<ErrorListener>((v) => typeof v === 'function', 'must be a function').optional(),
  maxViolationsPerReport: z.number().int().min(1).max(10_000).default(100),
  perClient: z
    .union([
      z.literal(false),
      z.strictObject({
        max: z.number().int().min(1).default(500),
        windowMs: z.number().int().min(1_000).default(60_000),
      }),
    ])
    .default({ max: 500, windowMs: 60_000 }),
  maxClients: z.number().int().min(1).max(1_000_000).default(10_000),
  aggregateMs: z.number().int().min(0).max(3_600_000).default(10_000),
  maxGroups: z.number().int().min(1).max(100_000).default(200),
  shutdown: z.boolean().optional(),
  flushOnShutdown: z.boolean().optional(),
});

const ignore = () => {};

/** A warn-only logger completed with no-op levels, for core's diagnostics. */
export function loggerOf(logger: ReportLogger | undefined): PlatformLogger | undefined {
  if (!logger) return undefined;
  const level = (name: keyof PlatformLogger) => logger[name]?.bind(logger) ?? ignore;
  return { error: level('error'), warn: level('warn'), info: level('info'), debug: level('debug') };
}
