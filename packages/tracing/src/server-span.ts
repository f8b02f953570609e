import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isTimeInput } from '@opentelemetry/core';
import { type IdGenerator, type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace-node';
import type { KeepErrorsProcessor } from './keep-errors.js';

const POOL_BYTES = 4096;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Random ids cut from a pool of hex digits filled by `crypto.randomBytes` 4 KiB at a
 * time: one hex conversion per 170 requests instead of two per request. An all-zero
 * id (invalid in W3C trace context) is drawn again.
 */
export class RandomHexIds {
  #hex = '';
  #at = 0;

  #take(chars: number): string {
    if (this.#at + chars > this.#hex.length) {
      this.#hex = randomBytes(POOL_BYTES).toString('hex');
      this.#at = 0;
    }
    const id = this.#hex.slice(this.#at, this.#at + chars);
    this.#at += chars;
    return id;
  }

  traceId(): string {
    const id = this.#take(32);
    return id === ZERO_TRACE_ID ? this.traceId() : id;
  }

  spanId(): string {
    const id = this.#take(16);
    return id === ZERO_SPAN_ID ? this.spanId() : id;
  }
}

/** Random ids, except that the next span can be handed the ids a request already uses. */
export class PinnableIdGenerator implements IdGenerator {
  readonly #random = new RandomHexIds();
  #traceId: string | undefined;
  #spanId: string | undefined;

  generateTraceId(): string {
    const pinned = this.#traceId;
    this.#traceId = undefined;
    return pinned ?? this.#random.traceId();
  }

  generateSpanId(): string {
    const pinned = this.#spanId;
    this.#spanId = undefined;
    return pinned ?? this.#random.spanId();
  }

  /** Runs `fn` (one synchronous `startSpan`) with these ids; any id it does not use is forgotten. */
  pinned<T>(traceId: string | undefined, spanId: string | undefined, fn: () => T): T {
    this.#traceId = traceId;
    this.#spanId = spanId;
    try {
      return fn();
    } finally {
      this.#traceId = undefined;
      this.#spanId = undefined;
    }
  }
}

/** What a deferred span asks its request for when it has to become a real span. */
export interface SpanSource {
  /** The attributes known when the request starts. */
  startAttributes(): Attributes;
  /** The span as it would have been started: name, start time and start attributes. */
  open(): Span;
}

const SERVER_OPTIONS = { kind: SpanKind.SERVER } as const;
const NO_ATTRIBUTES: Attributes = {};
const NO_LINKS: Link[] = [];
/** Calls a deferred span records before it becomes a real span anyway. */
const MAX_DEFERRED_CALLS = 64;

/**
 * Starts SERVER spans for `initTracing`'s provider. A sampled request gets a real span.
 * An unsampled one that keepErrors may still export gets a `DeferredSpan`: it carries
 * the span context children and outgoing calls need, and becomes the span that would
 * have been recorded only when the request ends in error. With keepErrors off an
 * unsampled request gets a plain non-recording span, as the SDK would give it.
 */
export class ServerSpans {
  constructor(
    private readonly tracer: Tracer,
    private readonly sampler: Sampler,
    private readonly ids: PinnableIdGenerator,
    /** Defer recording (false when other span processors want every recorded span). */
    private readonly defer: boolean,
    private readonly keepErrors: KeepErrorsProcessor,
  ) {}

  start(name: string, parent: Context, source: SpanSource): Span {
    const parentSc = parent === ROOT_CONTEXT ? undefined : trace.getSpanContext(parent);
    const remote = parentSc && isSpanContextValid(parentSc) ? parentSc : undefined;
    const traceId = remote ? remote.traceId : this.ids.generateTraceId();
    const { decision } = this.sampler.shouldSample(
      parent,
      traceId,
      name,
      SpanKind.SERVER,
      NO_ATTRIBUTES,
      NO_LINKS,
    );
    if (
      decision === SamplingDecision.RECORD_AND_SAMPLED ||
      (decision === SamplingDecision.RECORD && !this.defer)
    ) {
      // The SDK samples again, on the same trace id: same decision.
      return this.ids.pinned(remote ? undefined : traceId, undefined, () =>
        this.tracer.startSpan(
          name,
          { kind: SpanKind.SERVER, attributes: source.startAttributes() },
          parent,
        ),
      );
    }
    const sc: SpanContext = {
      traceId,
      spanId: this.ids.generateSpanId(),
      traceFlags: TraceFlags.NONE,
      traceState: remote?.traceState,
    };
    if (decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(sc);
    return new DeferredSpan(sc, source);
  }

  /** The real span for a deferred one: same ids, its start time, recorded from now on. */
  open(
    sc: SpanContext,
    name: string,
    parent: Context,
    attributes: Attributes,
    startTime: number,
  ): Span {
    return this.ids.pinned(sc.traceId, sc.spanId, () =>
      this.tracer.startSpan(name, { ...SERVER_OPTIONS, attributes, startTime }, parent),
    );
  }

  /**
   * At the request's end: the span to finish. A deferred span becomes real when the
   * request failed (or the application set status ERROR); otherwise it is dropped,
   * with whatever its children left waiting for the keep-errors decision.
   */
  settle(span: Span, failed: boolean): Span | undefined {
    if (!(span instanceof DeferredSpan)) return span;
    const real = span.materialized ?? (failed || span.failed ? span.materialize() : undefined);
    if (!real) {
      span.drop();
      this.keepErrors.discard(span.spanContext().traceId);
    }
    return real;
  }
}

/**
 * Stands in for a recording SERVER span of an unsampled request. It records what
 * the application does to it (attributes, events, status, name) and replays that
 * onto the real span if the request ends in error; otherwise nothing is built. It
 * becomes the real span at once when ended by the application or used heavily.
 */
export class DeferredSpan implements Span {
  readonly #sc: SpanContext;
  readonly #source: SpanSource;
  #real: Span | undefined;
  #calls: ((span: Span) => void)[] | undefined;
  #status: SpanStatusCode = SpanStatusCode.UNSET;
  #dropped = false;

  constructor(sc: SpanContext, source: SpanSource) {
    this.#sc = sc;
    this.#source = source;
  }

  spanContext(): SpanContext {
    return this.#sc;
  }

  /** Whether the span's status, as the SDK would have kept it, is ERROR. */
  get failed(): boolean {
    return this.#status === SpanStatusCode.ERROR;
  }

  /** The real span (started now, with the original start time), replaying every recorded call. */
  materialize(): Span {
    if (this.#real) return this.#real;
    const real = this.#source.open();
    this.#real = real;
    const calls = this.#calls;
    this.#calls = undefined;
    if (calls) for (const call of calls) call(real);
    return real;
  }

  /** The request ended without error: nothing is recorded, later calls are ignored. */
  drop(): void {
    this.#dropped = true;
    this.#calls = undefined;
  }

  get materialized(): Span | undefined {
    return this.#real;
  }

  #record(call: (span: Span) => void): this {
    if (this.#real) call(this.#real);
    else if (!this.#dropped) {
      this.#calls ??= [];
      const calls = this.#calls;
      calls.push(call);
      if (calls.length >= MAX_DEFERRED_CALLS) this.materialize();
    }
    return this;
  }

  setAttribute(key: string, value: AttributeValue): this {
    return this.#record((s) => s.setAttribute(key, value));
  }

  setAttributes(attributes: Attributes): this {
    const copy = { ...attributes };
    return this.#record((s) => s.setAttributes(copy));
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    let attributes = attributesOrTime as Attributes | undefined;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributes = undefined;
    }
    const at = time ?? performance.now();
    return this.#record((s) => s.addEvent(name, attributes, at));
  }

  addLink(link: Link): this {
    return this.#record((s) => s.addLink(link));
  }

  addLinks(links: Link[]): this {
    const copy = [...links];
    return this.#record((s) => s.addLinks(copy));
  }

  setStatus(status: SpanStatus): this {
    // The SDK's rules: UNSET is ignored and OK is final.
    if (!this.#real && !this.#dropped) {
      if (status.code !== SpanStatusCode.UNSET && this.#status !== SpanStatusCode.OK)
        this.#status = status.code;
    }
    const copy = { ...status };
    return this.#record((s) => s.setStatus(copy));
  }

  updateName(name: string): this {
    return this.#record((s) => s.updateName(name));
  }

  end(endTime?: TimeInput): void {
    if (this.#dropped) return;
    this.materialize().end(endTime ?? performance.now());
  }

  isRecording(): boolean {
    return this.#real ? this.#real.isRecording() : !this.#dropped;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const at = time ?? performance.now();
    this.#record((s) => s.recordException(exception, at));
  }
}
