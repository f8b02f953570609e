import { metricsEnabled, parseOptions } from '@platform/core';
import type { Logger } from 'pino';
import { z } from 'zod';
import { jsonNumber, jsonString, type LineWriter, lineWriter } from './logger.js';
import { countLine } from './metrics.js';

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
  const fast = lineWriter(logger, message);
  return {
    write(e) {
      try {
        const failed = e.status >= 500;
        const slow = e.durationMs >= slowMs;
        if (!failed && !slow && rate < 1 && Math.random() >= rate) {
          if (metricsEnabled()) countLine(e.status >= 400 ? 40 : 30, 'sampled_out');
          return;
        }
        const durationMs = Math.round(e.durationMs * 1000) / 1000;
        if (!failed && fast && writeFast(fast, e, durationMs, slow)) return;
        const line: Record<string, unknown> = {
          method: e.method,
          route: e.route,
          status: e.status,
          duration_ms: durationMs,
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

/**
 * The same line as the object path above, built as a string, for the usual entry: a
 * requestId (without one the logger's mixin adds the request's ids) and string values.
 */
function writeFast(fast: LineWriter, e: RequestLogEntry, durationMs: number, slow: boolean) {
  const { method, route, requestId, traceId, spanId, tenantId } = e;
  if (
    typeof requestId !== 'string' ||
    typeof method !== 'string' ||
    typeof e.status !== 'number' ||
    !optionalString(route) ||
    !optionalString(traceId) ||
    !optionalString(spanId) ||
    !optionalString(tenantId)
  )
    return false;
  let fields = `,"method":${jsonString(method)}`;
  if (route !== undefined) fields += `,"route":${jsonString(route)}`;
  fields += `,"status":${jsonNumber(e.status)},"duration_ms":${jsonNumber(durationMs)}`;
  fields += `,"requestId":${jsonString(requestId)}`;
  if (traceId !== undefined) fields += `,"trace_id":${jsonString(traceId)}`;
  if (spanId !== undefined) fields += `,"span_id":${jsonString(spanId)}`;
  if (tenantId !== undefined) fields += `,"tenantId":${jsonString(tenantId)}`;
  if (slow) fields += ',"slow":true';
  return fast(slow || e.status >= 400 ? 40 : 30, fields);
}

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

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
