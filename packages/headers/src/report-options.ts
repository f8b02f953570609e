import { z } from 'zod';
import type { AggregatedViolation } from './report-limits.js';

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
   * A pino-style logger; without `onViolation` or `logger`, violations go to console.warn
   * as JSON. Dropped violations are summed up here once per `aggregateMs`.
   */
  logger?: { warn(obj: object, msg?: string): unknown };
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
  /** Emit pending groups when @platform/core's shutdown runs (default true). */
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
    .custom<{ warn(obj: object, msg?: string): unknown }>(
      (v) => typeof (v as { warn?: unknown } | null)?.warn === 'function',
      'must have a warn(obj, msg) method',
    )
    .optional(),
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
  flushOnShutdown: z.boolean().default(true),
});
