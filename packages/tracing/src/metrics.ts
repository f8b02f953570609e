import type { Context } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type {
  ReadableSpan,
  Span,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { counter, gauge, histogram, metricsEnabled } from '@platform/core';

const logLines = counter({
  name: 'platform_log_lines_total',
  help: 'Log lines by level: written (handed to the destination), sampled_out (request log sampling), dropped (the destination could not keep them).',
  labelNames: ['level', 'outcome'],
});
const spansQueued = gauge({
  name: 'platform_spans_queue_depth',
  help: 'Ended spans waiting in the batch processor for export.',
});
const spansExported = counter({
  name: 'platform_spans_exported_total',
  help: 'Spans by export outcome: success, failure (the exporter failed), dropped (the queue was full).',
  labelNames: ['outcome'],
});
const queryDuration = histogram({
  name: 'platform_db_query_duration_seconds',
  help: 'Time a query through tracedSql took, by operation (SELECT, INSERT, ...).',
  labelNames: ['db_operation'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** One line at pino level `level` (a number); call only while `metricsEnabled()`. */
export function countLine(level: number, outcome: 'written' | 'sampled_out'): void {
  logLines.inc({ level: LEVEL_NAMES[level] ?? String(level), outcome });
}

const LEVEL_FIELD = /^\{"level":"?(\w+)/gm;

/** Lines the destination could not keep, by the level written at the start of each. */
export function countDropped(text: string): void {
  if (!metricsEnabled()) return;
  for (const [, level] of text.matchAll(LEVEL_FIELD)) {
    const n = Number(level);
    logLines.inc({
      level: Number.isNaN(n) ? (level as string) : (LEVEL_NAMES[n] ?? String(level)),
      outcome: 'dropped',
    });
  }
}

/** A query's duration, from a `performance.now()` taken before it. */
export function observeQuery(operation: string | undefined, started: number): void {
  queryDuration.observe(
    { db_operation: operation ?? 'unknown' },
    (performance.now() - started) / 1000,
  );
}

/** Counts what the exporter was given, by its answer. */
export function meteredExporter(exporter: SpanExporter): SpanExporter {
  return new Proxy(exporter, {
    get(target, prop, receiver) {
      if (prop !== 'export') {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (spans: ReadableSpan[], done: (result: ExportResult) => void) =>
        target.export(spans, (result) => {
          // ExportResultCode.SUCCESS, without loading @opentelemetry/core into the logger's imports
          const outcome = result.code === 0 ? 'success' : 'failure';
          spansExported.inc({ outcome }, spans.length);
          done(result);
        });
    },
  });
}

/**
 * The batch processor with its queue exposed to the gauge and its drops counted. The
 * queue is read from the processor's `_finishedSpans` (OpenTelemetry's BatchSpanProcessor
 * keeps it there in 1.x and 2.x; the test catches a rename): no public API reports it.
 */
export class MeteredBatchProcessor implements SpanProcessor {
  readonly #inner: SpanProcessor;
  readonly #max: number;
  readonly #remove: () => void;

  constructor(inner: SpanProcessor, maxQueueSize: number | undefined) {
    this.#inner = inner;
    this.#max = maxQueueSize ?? 2048;
    this.#remove = spansQueued.collect(() => this.#queued());
  }

  #queued(): number | undefined {
    const queue = (this.#inner as { _finishedSpans?: unknown })._finishedSpans;
    return Array.isArray(queue) ? queue.length : undefined;
  }

  onStart(span: Span, parent: Context): void {
    this.#inner.onStart(span, parent);
  }

  onEnd(span: ReadableSpan): void {
    if (metricsEnabled() && (this.#queued() ?? 0) >= this.#max) {
      if (span.spanContext().traceFlags & 1) spansExported.inc({ outcome: 'dropped' });
    }
    this.#inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#remove();
    return this.#inner.shutdown();
  }
}
