import { parseOptions } from '@platform/core';
import type { Logger } from 'pino';
import { z } from 'zod';

const requestLogSchema = z.object({
  /**
   * Share of successful requests logged (0..1). Errors (5xx, exceptions) and slow
   * requests are always logged. Default: `LOG_REQUEST_SAMPLE_RATE` or 1.
   */
  sampleRate: z.number().min(0).max(1).optional(),
  /** Requests at least this slow (ms) are always logged. */
  slowMs: z.number().positive().default(1000),
  message: z.string().default('request completed'),
});

export type RequestLogOptions = z.input<typeof requestLogSchema>;

export interface RequestLogEntry {
  method: string;
  route?: string;
  status: number;
  durationMs: number;
  requestId?: string;
  traceId?: string;
  spanId?: string;
  tenantId?: string;
  error?: unknown;
}

export interface RequestLog {
  write(entry: RequestLogEntry): void;
}

/**
 * One log line per request with sampling of successes; every error and slow request
 * is kept. Never throws into the request.
 *
 * @example
 * const requests = createRequestLog(createLogger(), { sampleRate: 0.01, slowMs: 500 });
 * requests.write({ method: 'GET', route: '/api/items', status: 200, durationMs: 3.2 });
 */
export function createRequestLog(logger: Logger, options: RequestLogOptions = {}): RequestLog {
  const opts = parseOptions(requestLogSchema, options, 'requestLog');
  const rate = opts.sampleRate ?? rateFromEnv(process.env.LOG_REQUEST_SAMPLE_RATE) ?? 1;
  const { slowMs, message } = opts;
  return {
    write(e) {
      try {
        const failed = e.status >= 500;
        const slow = e.durationMs >= slowMs;
        if (!failed && !slow && rate < 1 && Math.random() >= rate) return;
        const line: Record<string, unknown> = {
          method: e.method,
          route: e.route,
          status: e.status,
          duration_ms: Math.round(e.durationMs * 1000) / 1000,
          requestId: e.requestId,
          trace_id: e.traceId,
          span_id: e.spanId,
          tenantId: e.tenantId,
        };
        if (slow) line.slow = true;
        if (failed && e.error !== undefined) line.err = e.error;
        if (failed) logger.error(line, message);
        else if (slow || e.status >= 400) logger.warn(line, message);
        else logger.info(line, message);
      } catch {
        // logging must never break the request
      }
    },
  };
}

function rateFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new TypeError(
      `LOG_REQUEST_SAMPLE_RATE must be a number between 0 and 1 (got "${value}")`,
    );
  }
  return n;
}
