import { getContext, parseOptions } from '@platform/core';
import { z } from 'zod';
import { DIRECTIVE_ORDER } from './csp-directives.js';
import { type CspViolation, fromCspReport, fromReportsJson } from './report-format.js';

export type { CspViolation } from './report-format.js';

export interface ReportReceiverOptions {
  /** Largest accepted body in bytes (default 65536); larger bodies get 413. */
  maxBodyBytes?: number;
  /** Called once per violation. Errors it throws are counted, never propagated. */
  onViolation?: (violation: CspViolation) => void;
  /** A pino-style logger; without `onViolation` or `logger`, violations go to console.warn as JSON. */
  logger?: { warn(obj: object, msg?: string): unknown };
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
  callbackErrors: number;
}

/** What a binding sends back. */
export interface ReceiverResponse {
  status: 204 | 400 | 405 | 413 | 415;
  headers: Record<string, string>;
  body?: string;
}

export interface ReportRequest {
  method: string;
  contentType?: string;
  contentLength?: string;
  /** Reads the body, resolving undefined once it exceeds `limit` bytes. */
  read(limit: number): Promise<Uint8Array | string | undefined> | Uint8Array | string | undefined;
}

export interface ReportReceiver {
  readonly maxBodyBytes: number;
  /** Validates method, media type and size, parses, and emits every violation. */
  handle(request: ReportRequest): Promise<ReceiverResponse>;
  stats(): ReportStats;
}

const optionsSchema = z.strictObject({
  maxBodyBytes: z
    .number()
    .int()
    .min(256)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  onViolation: z
    .custom<(v: CspViolation) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  logger: z
    .custom<{ warn(obj: object, msg?: string): unknown }>(
      (v) => typeof (v as { warn?: unknown } | null)?.warn === 'function',
      'must have a warn(obj, msg) method',
    )
    .optional(),
});

const MEDIA_TYPES = ['application/csp-report', 'application/reports+json'] as const;
const KNOWN_DIRECTIVES = new Set<string>(DIRECTIVE_ORDER);
const TITLES = {
  400: 'Malformed report',
  405: 'Method not allowed',
  413: 'Report too large',
  415: 'Unsupported media type',
} as const;

function problem(
  status: keyof typeof TITLES,
  extra: Record<string, string> = {},
): ReceiverResponse {
  const requestId = getContext()?.requestId;
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...extra },
    body: JSON.stringify({ type: 'about:blank', title: TITLES[status], status, requestId }),
  };
}

/**
 * The framework-neutral CSP violation receiver. Accepts `application/csp-report` and
 * `application/reports+json`, answers 413 above `maxBodyBytes`, 400 on malformed bodies,
 * and hands each violation (with the request id) to your callback or logger.
 *
 * @example
 * const receiver = createReportReceiver({ onViolation: (v) => log.warn(v, 'csp violation') });
 */
export function createReportReceiver(options: ReportReceiverOptions = {}): ReportReceiver {
  const opts = parseOptions(optionsSchema, options, 'cspReports');
  const stats: ReportStats = {
    requests: 0,
    violations: 0,
    byDirective: {},
    rejected: { method: 0, mediaType: 0, tooLarge: 0, malformed: 0 },
    ignored: 0,
    callbackErrors: 0,
  };
  const emit =
    opts.onViolation ??
    (opts.logger
      ? (v: CspViolation) => opts.logger?.warn(v, 'csp violation')
      : (v: CspViolation) => console.warn(JSON.stringify({ msg: 'csp violation', ...v })));

  const malformed = () => {
    stats.rejected.malformed++;
    return problem(400);
  };

  return {
    maxBodyBytes: opts.maxBodyBytes,
    async handle(request) {
      if (request.method !== 'POST') {
        stats.rejected.method++;
        return problem(405, { Allow: 'POST' });
      }
      const media = request.contentType?.split(';')[0]?.trim().toLowerCase();
      const format = MEDIA_TYPES.find((m) => m === media);
      if (!format) {
        stats.rejected.mediaType++;
        return problem(415, { Accept: MEDIA_TYPES.join(', ') });
      }
      const declared = Number(request.contentLength);
      const raw = declared > opts.maxBodyBytes ? undefined : await request.read(opts.maxBodyBytes);
      if (raw === undefined || raw.length > opts.maxBodyBytes) {
        stats.rejected.tooLarge++;
        return problem(413);
      }
      let json: unknown;
      try {
        json = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
      } catch {
        return malformed();
      }
      const parsed =
        format === 'application/csp-report'
          ? fromCspReport(json)
          : fromReportsJson(json)?.violations;
      if (!parsed) return malformed();
      if (format === 'application/reports+json')
        stats.ignored += (json as unknown[]).length - parsed.length;
      stats.requests++;
      const ctx = getContext();
      for (const fields of parsed) {
        const violation: CspViolation = {
          requestId: ctx?.requestId,
          ...fields,
          userAgent: fields.userAgent ?? ctx?.userAgent,
          format: format === 'application/csp-report' ? 'csp-report' : 'reports+json',
        };
        stats.violations++;
        const key = KNOWN_DIRECTIVES.has(violation.effectiveDirective)
          ? violation.effectiveDirective
          : 'other';
        stats.byDirective[key] = (stats.byDirective[key] ?? 0) + 1;
        try {
          emit(violation);
        } catch {
          stats.callbackErrors++;
        }
      }
      return { status: 204, headers: {} };
    },
    stats: () => structuredClone(stats),
  };
}
