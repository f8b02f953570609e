/** A parsed log line (pino JSON), as the inspector and the CLI see it. */
export interface LogRecord {
  time?: string | number;
  level?: string | number;
  msg?: string;
  module?: string;
  requestId?: string;
  trace_id?: string;
  span_id?: string;
  status?: number;
  [key: string]: unknown;
}

/** A finished span, reduced to what a timeline shows. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  /** Epoch milliseconds. */
  start: number;
  durationMs: number;
  status: 'ok' | 'error' | 'unset';
  attributes: Record<string, unknown>;
}

export interface SpanNode extends SpanRecord {
  children: SpanNode[];
}

export interface Timeline {
  requestId?: string;
  traceIds: string[];
  logs: LogRecord[];
  spans: SpanNode[];
}

const LEVEL_NUM: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export function levelNumber(level: LogRecord['level']): number {
  return typeof level === 'number' ? level : (LEVEL_NUM[String(level)] ?? 30);
}

/** A log line that reports an error: level error/fatal or a 5xx status. */
export function isErrorRecord(r: LogRecord): boolean {
  return levelNumber(r.level) >= 50 || (typeof r.status === 'number' && r.status >= 500);
}

/** Builds a request's (or a trace's) timeline from log lines and spans. */
export function buildTimeline(
  logs: Iterable<LogRecord>,
  spans: Iterable<SpanRecord>,
  by: { requestId: string } | { traceId: string },
): Timeline {
  const traceIds = new Set<string>();
  const allLogs = [...logs];
  const allSpans = [...spans];
  if ('traceId' in by) traceIds.add(by.traceId);
  else {
    for (const l of allLogs)
      if (l.requestId === by.requestId && l.trace_id) traceIds.add(l.trace_id);
    for (const s of allSpans) {
      if (s.attributes['platform.request_id'] === by.requestId) traceIds.add(s.traceId);
    }
  }
  const requestId =
    'requestId' in by
      ? by.requestId
      : allLogs.find((l) => l.trace_id === by.traceId && l.requestId)?.requestId;
  const matched = allLogs
    .filter(
      (l) =>
        (requestId !== undefined && l.requestId === requestId) ||
        (l.trace_id && traceIds.has(l.trace_id)),
    )
    .sort((a, b) => timeOf(a) - timeOf(b));
  return {
    requestId,
    traceIds: [...traceIds],
    logs: matched,
    spans: spanTree(allSpans.filter((s) => traceIds.has(s.traceId))),
  };
}

function timeOf(r: LogRecord): number {
  return typeof r.time === 'number' ? r.time : r.time ? Date.parse(r.time) : 0;
}

export function spanTree(spans: SpanRecord[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const s of spans) nodes.set(s.spanId, { ...s, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: SpanNode[]) => {
    list.sort((a, b) => a.start - b.start);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

const cell = (v: unknown) =>
  String(v ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

/** The timeline as Markdown: span tree with offsets and durations, then the log lines. */
export function timelineToMarkdown(t: Timeline): string {
  const out: string[] = [`# Request ${t.requestId ?? '(unknown)'}`, ''];
  out.push(
    `Trace: ${t.traceIds.length ? t.traceIds.map((id) => `\`${id}\``).join(', ') : '(none)'}`,
    '',
  );
  out.push('## Spans', '');
  const origin = t.spans[0]?.start ?? 0;
  const walk = (nodes: SpanNode[], depth: number) => {
    for (const n of nodes) {
      const mark = n.status === 'error' ? ' **ERROR**' : '';
      out.push(
        `${'  '.repeat(depth)}- \`${n.name}\` (${n.kind.toLowerCase()}) +${(n.start - origin).toFixed(1)} ms, ${n.durationMs.toFixed(2)} ms${mark}`,
      );
      walk(n.children, depth + 1);
    }
  };
  if (t.spans.length) walk(t.spans, 0);
  else out.push('(no spans)');
  out.push('', '## Logs', '');
  if (t.logs.length) {
    out.push('| time | level | module | message |', '|---|---|---|---|');
    for (const l of t.logs)
      out.push(`| ${cell(l.time)} | ${cell(l.level)} | ${cell(l.module)} | ${cell(l.msg)} |`);
  } else out.push('(no logs)');
  return `${out.join('\n')}\n`;
}
