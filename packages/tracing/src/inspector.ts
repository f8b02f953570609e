import { type SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { parseOptions } from '@platform/core';
import { z } from 'zod';
import {
  buildTimeline,
  isErrorRecord,
  type LogRecord,
  type SpanRecord,
  type Timeline,
  timelineToMarkdown,
} from './timeline.js';

const inspectorSchema = z.object({
  /** Log lines and spans kept (each), oldest dropped first. */
  size: z.number().int().min(1).max(1_000_000).default(2000),
  /** Default: on unless NODE_ENV is production. */
  enabled: z.boolean().optional(),
});

export type InspectorOptions = z.input<typeof inspectorSchema>;

class Ring<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #count = 0;
  constructor(readonly size: number) {
    this.#items = new Array(size);
  }
  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.size;
    if (this.#count < this.size) this.#count++;
  }
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#count + this.size) % this.size;
    for (let i = 0; i < this.#count; i++) out.push(this.#items[(start + i) % this.size] as T);
    return out;
  }
  get length(): number {
    return this.#count;
  }
  clear(): void {
    this.#items.fill(undefined);
    this.#next = 0;
    this.#count = 0;
  }
}

export interface Inspector {
  readonly enabled: boolean;
  /** Pass as `createLogger({ onLine: inspector.capture })`. */
  readonly capture: (line: string) => void;
  /** Pass in `initTracing({ spanProcessors: [inspector.spanProcessor] })`. */
  readonly spanProcessor: SpanProcessor;
  inspect(requestId: string): Timeline;
  trace(traceId: string): Timeline;
  recent(limit?: number): LogRecord[];
  errors(limit?: number): LogRecord[];
  toMarkdown(timeline: Timeline): string;
  readonly stats: { logs: number; spans: number; size: number };
  clear(): void;
}

const KIND = ['internal', 'server', 'client', 'producer', 'consumer'];

export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const sc = span.spanContext();
  const [s, ns] = span.startTime;
  const [ds, dns] = span.duration;
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    name: span.name,
    kind: KIND[span.kind] ?? String(span.kind as SpanKind),
    start: s * 1000 + ns / 1e6,
    durationMs: ds * 1000 + dns / 1e6,
    status:
      span.status.code === SpanStatusCode.ERROR
        ? 'error'
        : span.status.code === SpanStatusCode.OK
          ? 'ok'
          : 'unset',
    attributes: { ...span.attributes },
  };
}

/**
 * The development inspector: a bounded in-memory buffer of recent log lines and
 * finished spans, and `inspect(requestId)` for everything one request did. Off (and
 * capturing nothing) in production unless enabled explicitly.
 *
 * @example
 * const inspector = createInspector({ size: 5000 });
 * const log = createLogger({ onLine: inspector.capture });
 * initTracing({ spanProcessors: [inspector.spanProcessor] });
 * console.log(inspector.toMarkdown(inspector.inspect(requestId)));
 */
export function createInspector(options: InspectorOptions = {}): Inspector {
  const opts = parseOptions(inspectorSchema, options, 'createInspector');
  const enabled = opts.enabled ?? process.env.NODE_ENV !== 'production';
  const logs = new Ring<LogRecord>(opts.size);
  const spans = new Ring<SpanRecord>(opts.size);
  const spanProcessor: SpanProcessor = {
    onStart() {},
    onEnd(span) {
      if (enabled) spans.push(toSpanRecord(span));
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return {
    enabled,
    capture(line) {
      if (!enabled) return;
      try {
        logs.push(JSON.parse(line) as LogRecord);
      } catch {
        // not JSON (pretty output): nothing to index
      }
    },
    spanProcessor,
    inspect: (requestId) => buildTimeline(logs.toArray(), spans.toArray(), { requestId }),
    trace: (traceId) => buildTimeline(logs.toArray(), spans.toArray(), { traceId }),
    recent: (limit = 50) => logs.toArray().slice(-limit),
    errors: (limit = 50) => logs.toArray().filter(isErrorRecord).slice(-limit),
    toMarkdown: timelineToMarkdown,
    get stats() {
      return { logs: logs.length, spans: spans.length, size: opts.size };
    },
    clear() {
      logs.clear();
      spans.clear();
    },
  };
}
