import { DURATION_BUCKETS } from '../registry.js';

/** Bucket upper bounds of the summary histograms: the duration histogram's, then +Inf. */
export const BOUNDS: readonly number[] = [...DURATION_BUCKETS, Number.POSITIVE_INFINITY];
// per slot: [requests, errors, ...one count per bound]
const WIDTH = 2 + BOUNDS.length;

function bucketOf(seconds: number): number {
  for (let i = 0; i < DURATION_BUCKETS.length; i++) {
    if (seconds <= (DURATION_BUCKETS[i] as number)) return i;
  }
  return DURATION_BUCKETS.length;
}

/** What one window says about one key. Percentiles in seconds, interpolated within a bucket. */
export interface WindowStats {
  requests: number;
  /** Requests per second over the window (or over the part of it since the first request). */
  rate: number;
  errors: number;
  /** Share of requests answered 5xx, 0..1. */
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * A sliding window of `slots` time slots of `slotMs` each: per slot a request count, a 5xx
 * count and a latency histogram with the duration buckets. Fixed size, whatever the traffic.
 */
export class SlidingWindow {
  readonly #cells: Uint32Array;
  /** The slot index (time / slotMs) each slot holds, so stale slots are recognised. */
  readonly #epochs: Float64Array;
  #first = Number.POSITIVE_INFINITY;

  constructor(
    readonly slotMs: number,
    readonly slots: number,
  ) {
    this.#cells = new Uint32Array(slots * WIDTH);
    this.#epochs = new Float64Array(slots).fill(-1);
  }

  record(now: number, seconds: number, error: boolean): void {
    const epoch = Math.floor(now / this.slotMs);
    const slot = epoch % this.slots;
    const base = slot * WIDTH;
    if (this.#epochs[slot] !== epoch) {
      this.#cells.fill(0, base, base + WIDTH);
      this.#epochs[slot] = epoch;
    }
    if (now < this.#first) this.#first = now;
    const cells = this.#cells;
    cells[base] = (cells[base] as number) + 1;
    if (error) cells[base + 1] = (cells[base + 1] as number) + 1;
    const b = base + 2 + bucketOf(seconds);
    cells[b] = (cells[b] as number) + 1;
  }

  stats(now: number): WindowStats {
    const current = Math.floor(now / this.slotMs);
    const totals = new Array<number>(WIDTH).fill(0);
    for (let slot = 0; slot < this.slots; slot++) {
      const epoch = this.#epochs[slot] as number;
      if (epoch < 0 || epoch > current || current - epoch >= this.slots) continue;
      for (let i = 0; i < WIDTH; i++)
        totals[i] = (totals[i] as number) + (this.#cells[slot * WIDTH + i] as number);
    }
    const [requests = 0, errors = 0] = totals;
    const windowMs = this.slotMs * this.slots;
    const covered = Math.min(windowMs, Math.max(1000, now - this.#first));
    const counts = totals.slice(2);
    return {
      requests,
      rate: requests / (covered / 1000),
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      p50: quantile(counts, requests, 0.5),
      p95: quantile(counts, requests, 0.95),
      p99: quantile(counts, requests, 0.99),
    };
  }
}

/**
 * The q-quantile of a bucketed distribution, as Prometheus's histogram_quantile computes it:
 * linear within the bucket that holds it; the +Inf bucket answers its lower bound.
 */
export function quantile(counts: readonly number[], total: number, q: number): number | null {
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const inBucket = counts[i] as number;
    if (seen + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : (BOUNDS[i - 1] as number);
      const upper = BOUNDS[i] as number;
      if (upper === Number.POSITIVE_INFINITY) return lower;
      return lower + (upper - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  return BOUNDS[BOUNDS.length - 2] as number;
}
