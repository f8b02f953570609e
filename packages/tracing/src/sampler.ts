import {
  type Context,
  createContextKey,
  isSpanContextValid,
  type SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { type Sampler, SamplingDecision, type SamplingResult } from '@opentelemetry/sdk-trace-node';

/** Set on a request's parent context when its caller may not decide sampling. */
export const UNTRUSTED_PARENT = createContextKey('platform.tracing.untrustedParent');

/** 2^28: the threshold is compared with the top 7 hex digits of the trace id's last 14. */
const SCALE = 0x10000000;

/**
 * ParentBased(TraceIdRatio), except that a remote parent marked untrusted does not
 * decide: its trace is continued but sampled by our own ratio. With `keepErrors`,
 * dropped spans are recorded (not exported) so an error can still be kept at the end.
 */
export class PlatformSampler implements Sampler {
  /** A root is sampled when its randomness is at least this (0 at ratio 1, SCALE + 1 at 0). */
  readonly #threshold: number;
  readonly #drop: SamplingResult;
  readonly #keep: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };

  constructor(
    readonly ratio: number,
    keepErrors: boolean,
  ) {
    // As OpenTelemetry's consistent probability sampling: the randomness is the trace id's
    // least significant 56 bits and the threshold (1 - ratio) x 2^56, here to 7 hex digits.
    this.#threshold = ratio >= 1 ? 0 : ratio <= 0 ? SCALE + 1 : Math.ceil((1 - ratio) * SCALE);
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
      return this.sampledRoot(traceId) ? this.#keep : this.#drop;
    }
    return parent.traceFlags & TraceFlags.SAMPLED ? this.#keep : this.#drop;
  }

  /** Whether a trace starting here (or an untrusted caller's) is sampled by the ratio. */
  sampledRoot(traceId: string): boolean {
    const threshold = this.#threshold;
    if (threshold === 0) return true;
    if (threshold > SCALE) return false;
    return Number.parseInt(traceId.slice(18, 25), 16) >= threshold;
  }

  toString(): string {
    return `PlatformSampler{ParentBased(TraceIdRatio{${this.ratio}})}`;
  }
}
