import {
  type Answer,
  diagnostics,
  emptyAnswer,
  getContext,
  manage,
  type NeutralRequest,
  parseOptions,
  problemAnswer,
} from '@platform/core';
import { DIRECTIVE_ORDER } from './csp-directives.js';
import { type CspViolation, fromCspReport, fromReportsJson } from './report-format.js';
import {
  type AggregatedViolation,
  clientKey,
  clientQuotas,
  violationGroups,
} from './report-limits.js';
import {
  loggerOf,
  type ReportReceiverOptions,
  type ReportStats,
  reportOptionsSchema,
} from './report-options.js';

export type { CspViolation } from './report-format.js';
export type { AggregatedViolation } from './report-limits.js';
export type { ReportLogger, ReportReceiverOptions, ReportStats } from './report-options.js';

export interface ReportReceiver {
  readonly maxBodyBytes: number;
  /**
   * Validates method, media type and size, parses, caps and groups the violations: core's
   * neutral handler, mounted by the bindings (`cspReportHandler`, `cspReports`,
   * `cspReportRoute`). The peer address (`remoteAddress`) keys the per-client quota when
   * the request context has no `ip`.
   */
  handle(request: NeutralRequest): Promise<Answer>;
  /** Emits the pending groups now (synchronously; the promise is already settled). */
  flush(): Promise<void>;
  /** Emits the pending groups and stops the timer; later violations are emitted at once. */
  close(): Promise<void>;
  stats(): ReportStats;
}

/** The options of every binding's receiver route: a receiver's, or a receiver to share. */
export interface ReportRouteOptions extends ReportReceiverOptions {
  /** Share a receiver (and its counters) instead of creating one. */
  receiver?: ReportReceiver;
}

/** The receiver a binding mounts: the shared one, or a new one made from the options. */
export function receiverFor(options: ReportRouteOptions): ReportReceiver {
  const { receiver, ...rest } = options;
  return receiver ?? createReportReceiver(rest);
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

function problem(status: keyof typeof TITLES, extra: Record<string, string> = {}): Answer {
  return problemAnswer(
    status,
    { title: TITLES[status], requestId: getContext()?.requestId },
    extra,
  );
}

/** The report body: the one a body parser left (text, bytes or parsed JSON), else read here. */
async function rawBody(request: NeutralRequest, limit: number) {
  const body = request.body;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body !== undefined) return JSON.stringify(body);
  return request.readBody?.(limit);
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
  const diag = diagnostics('@platform/headers', {
    logger: loggerOf(opts.logger),
    onError: opts.onError,
  });
  const emit =
    opts.onViolation ??
    ((v: AggregatedViolation) => diag.warn('HEADERS_CSP_VIOLATION', 'csp violation', v));
  const quotas = opts.perClient
    ? clientQuotas(opts.perClient.max, opts.perClient.windowMs, opts.maxClients)
    : undefined;
  const groups = violationGroups(opts.maxGroups);
  let aggregateMs = opts.aggregateMs;
  const shutdown = opts.shutdown ?? opts.flushOnShutdown;
  let timer: NodeJS.Timeout | undefined;
  let unregister: (() => void) | undefined;
  let reported = { perReport: 0, perClient: 0, groups: 0 };

  const deliver = (v: AggregatedViolation) => {
    stats.emitted++;
    try {
      emit(v);
    } catch (error) {
      stats.callbackErrors++;
      diag.error('HEADERS_VIOLATION_CALLBACK', error, 'onViolation threw');
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
      diag.warn('HEADERS_CSP_DROPPED', 'csp violations dropped', { dropped: since });
    }
  };
  // The timer and the shutdown step exist only while something waits to be emitted.
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(flush, aggregateMs || DROP_SUMMARY_MS);
    timer.unref();
    unregister = manage('csp-reports', { close: async () => flush() }, { shutdown });
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
        return problem(405, { allow: 'POST' });
      }
      const media = request.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      const format = MEDIA_TYPES.find((m) => m === media);
      if (!format) {
        stats.rejected.mediaType++;
        return problem(415, { accept: MEDIA_TYPES.join(', ') });
      }
      const declared = Number(request.header('content-length'));
      const raw =
        declared > opts.maxBodyBytes ? undefined : await rawBody(request, opts.maxBodyBytes);
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
      accept(parsed, format, request.remoteAddress);
      return emptyAnswer(204);
    },
    async flush() {
      flush();
    },
    async close() {
      aggregateMs = 0;
      flush();
    },
    stats: () => structuredClone(stats),
  };
}
