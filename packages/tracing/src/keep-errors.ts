import { type Context, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/**
 * The in-process tail decision. Sampled spans go straight to `next`. Spans the head
 * sampler dropped but recorded wait, per trace, until their local root ends: a root
 * that ended in error sends the whole request's spans to `next` (marked sampled),
 * otherwise they are discarded. Bounded: at most `maxSpans` per trace and
 * `maxTraces` traces waiting.
 */
export class KeepErrorsProcessor implements SpanProcessor {
  readonly #pending = new Map<string, ReadableSpan[]>();
  /** Counters, for tests and diagnostics. */
  readonly stats = { kept: 0, discarded: 0, dropped: 0 };

  constructor(
    private readonly next: SpanProcessor,
    private readonly maxSpans = 128,
    private readonly maxTraces = 1000,
    private readonly ignoreScopes: ReadonlySet<string> = new Set(),
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this.ignoreScopes.size > 0 && this.ignoreScopes.has(span.instrumentationScope.name)) return;
    const sc = span.spanContext();
    if (sc.traceFlags & TraceFlags.SAMPLED) {
      this.next.onEnd(span);
      return;
    }
    const parent = span.parentSpanContext;
    const isLocalRoot = !parent || parent.isRemote === true;
    const waiting = this.#pending.get(sc.traceId);
    if (!isLocalRoot) {
      if (waiting) {
        if (waiting.length < this.maxSpans) waiting.push(span);
        else this.stats.dropped++;
      } else {
        if (this.#pending.size >= this.maxTraces) {
          const oldest = this.#pending.keys().next().value;
          if (oldest !== undefined) this.#pending.delete(oldest);
          this.stats.dropped++;
        }
        this.#pending.set(sc.traceId, [span]);
      }
      return;
    }
    if (waiting) this.#pending.delete(sc.traceId);
    if (span.status.code !== SpanStatusCode.ERROR) {
      this.stats.discarded++;
      return;
    }
    this.stats.kept++;
    if (waiting) for (const child of waiting) this.next.onEnd(asSampled(child));
    this.next.onEnd(asSampled(span));
  }

  /**
   * The local root of `traceId` ended without error and without a span of its own
   * (an unsampled request whose span was never built): its waiting spans go.
   */
  discard(traceId: string): void {
    if (this.#pending.size > 0) this.#pending.delete(traceId);
    this.stats.discarded++;
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#pending.clear();
    return this.next.shutdown();
  }
}

/** The same span, seen as sampled (the exporter reads everything else from it). */
function asSampled(span: ReadableSpan): ReadableSpan {
  const sc = {
    ...span.spanContext(),
    traceFlags: span.spanContext().traceFlags | TraceFlags.SAMPLED,
  };
  return Object.create(span, { spanContext: { value: () => sc } }) as ReadableSpan;
}
