import {
  type Context,
  createContextKey,
  isSpanContextValid,
  type SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';

/** Set on a request's parent context when its caller may not decide sampling. */
export const UNTRUSTED_PARENT = createContextKey('platform.tracing.untrustedParent');

/**
 * ParentBased(TraceIdRatio), except that a remote parent marked untrusted does not
 * decide: its trace is continued but sampled by our own ratio. With `keepErrors`,
 * dropped spans are recorded (not exported) so an error can still be kept at the end.
 */
export class PlatformSampler implements Sampler {
  readonly #root: TraceIdRatioBasedSampler | undefined;
  readonly #drop: SamplingResult;
  readonly #keep: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };

  constructor(
    readonly ratio: number,
    keepErrors: boolean,
  ) {
    // 0 and 1 need no trace id arithmetic: the SDK only hands us valid trace ids.
    this.#root = ratio > 0 && ratio < 1 ? new TraceIdRatioBasedSampler(ratio) : undefined;
    this.#drop = {
      decision: keepErrors ? SamplingDecision.RECORD : SamplingDecision.NOT_RECORD,
    };
  }

  shouldSample(context: Context, traceId: string, _name: string, _kind: SpanKind): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (
      !parent ||
      !isSpanContextValid(parent) ||
      (parent.isRemote && context.getValue(UNTRUSTED_PARENT))
    ) {
      const root = this.#root;
      if (!root) return this.ratio >= 1 ? this.#keep : this.#drop;
      return root.shouldSample(context, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED
        ? this.#keep
        : this.#drop;
    }
    return parent.traceFlags & TraceFlags.SAMPLED ? this.#keep : this.#drop;
  }

  toString(): string {
    return `PlatformSampler{ParentBased(TraceIdRatio{${this.ratio}})}`;
  }
}
