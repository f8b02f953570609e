import { getContext, onShutdown, parseOptions } from '@platform/core';
import { DIRECTIVE_ORDER } from './csp-directives.js';
import { type CspViolation, fromCspReport, fromReportsJson } from './report-format.js';
import {
  type AggregatedViolation,
  clientKey,
  clientQuotas,
  violationGroups,
} from './report-limits.js';
import {
  type ReportReceiverOptions,
  type ReportStats,
  reportOptionsSchema,
} from './report-options.js';

export type { CspViolation } from './report-format.js';
export type { AggregatedViolation } from './report-limits.js';
export type { ReportReceiverOptions, ReportStats } from './report-options.js';

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
  /** The peer address, used for the per-client quota when no request context has an `ip`. */
  clientIp?: string;
  /** Reads the body, resolving undefined once it exceeds `limit` bytes. */
  read(limit: number): Promise<Uint8Array | string | undefined> | Uint8Array | string | undefined;
}

export interface ReportReceiver {
  readonly maxBodyBytes: number;
  /** Validates method, media type and size, parses, caps and groups the violations. */
  handle(request: ReportRequest): Promise<ReceiverResponse>;
  /** Emits the pending groups now. */
  flush(): void;
  /** Emits the pending groups and stops the timer; later violations are emitted at once. */
  close(): void;
  stats(): ReportStats;
}

/** How often drops are summed up when violations are emitted at once (`aggregateMs: 0`). */
const DROP_SUMMARY_MS = 10_000;
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
 * `application/reports+json`, answers 413 above `maxBodyBytes`, 400 on malformed bodies.
 * Violations (with the request id) are capped per report and per client, and repeated
 * ones are summed up into one record with a count every `aggregateMs`, so neither one
 * large report nor a flood of them turns into a flood of log lines.
 *
 * @example
 * const receiver = createReportReceiver({ onViolation: (v) => log.warn(v, 'csp violation') });
 */
export function createReportReceiver(options: ReportReceiverOptions = {}): ReportReceiver {
  const opts = parseOptions(reportOptionsSchema, options, 'cspReports');
  const stats: ReportStats = {
    requests: 0,
    violations: 0,
    byDirective: {},
    rejected: { method: 0, mediaType: 0, tooLarge: 0, malformed: 0 },
    ignored: 0,
    dropped: { perReport: 0, perClient: 0, groups: 0 },
    emitted: 0,
    callbackErrors: 0,
  };
  const warn = opts.logger
    ? (obj: object, msg: string) => opts.logger?.warn(obj, msg)
    : (obj: object, msg: string) => console.warn(JSON.stringify({ msg, ...obj }));
  const emit = opts.onViolation ?? ((v: AggregatedViolation) => warn(v, 'csp violation'));
  const quotas = opts.perClient
    ? clientQuotas(opts.perClient.max, opts.perClient.windowMs, opts.maxClients)
    : undefined;
  const groups = violationGroups(opts.maxGroups);
  let aggregateMs = opts.aggregateMs;
  let timer: NodeJS.Timeout | undefined;
  let unregister: (() => void) | undefined;
  let reported = { perReport: 0, perClient: 0, groups: 0 };

  const deliver = (v: AggregatedViolation) => {
    stats.emitted++;
    try {
      emit(v);
    } catch {
      stats.callbackErrors++;
    }
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    unregister?.();
    unregister = undefined;
    for (const v of groups.drain()) deliver(v);
    const { dropped } = stats;
    const since = {
      perReport: dropped.perReport - reported.perReport,
      perClient: dropped.perClient - reported.perClient,
      groups: dropped.groups - reported.groups,
    };
    if (since.perReport + since.perClient + since.groups > 0) {
      reported = { ...dropped };
      warn({ dropped: since }, 'csp violations dropped');
    }
  };
  // The timer and the shutdown step exist only while something waits to be emitted.
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(flush, aggregateMs || DROP_SUMMARY_MS);
    timer.unref();
    if (opts.flushOnShutdown) unregister = onShutdown(flush, { name: 'csp-reports' });
  };

  const malformed = () => {
    stats.rejected.malformed++;
    return problem(400);
  };

  const accept = (
    parsed: Omit<CspViolation, 'requestId' | 'format'>[],
    format: string,
    ip?: string,
  ) => {
    const ctx = getContext();
    let wanted = parsed.length;
    if (wanted > opts.maxViolationsPerReport) {
      stats.dropped.perReport += wanted - opts.maxViolationsPerReport;
      wanted = opts.maxViolationsPerReport;
    }
    const granted = quotas ? quotas.take(clientKey(ctx?.ip ?? ip), wanted) : wanted;
    stats.dropped.perClient += wanted - granted;
    const now = Date.now();
    for (let i = 0; i < granted; i++) {
      const fields = parsed[i] as (typeof parsed)[number];
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
      if (aggregateMs === 0) {
        const at = new Date(now).toISOString();
        deliver({ ...violation, count: 1, firstSeen: at, lastSeen: at });
      } else if (groups.add(violation, now)) schedule();
      else stats.dropped.groups++;
    }
    if (aggregateMs === 0 && stats.dropped.perReport + stats.dropped.perClient > 0) schedule();
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
      accept(parsed, format, request.clientIp);
      return { status: 204, headers: {} };
    },
    flush,
    close() {
      aggregateMs = 0;
      flush();
    },
    stats: () => structuredClone(stats),
  };
}
