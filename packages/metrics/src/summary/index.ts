import type { RequestObserver, RequestSample } from '../observer.js';
import { SlidingWindow, type WindowStats } from './window.js';

export type { WindowStats } from './window.js';

export interface SummaryOptions {
  /** Routes (method + template) and tenants each kept apart; past it they count as `other`. Default 500. */
  maxKeys?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** The summary's JSON: per window, the whole service, each route and each tenant. */
export interface Summary {
  generatedAt: string;
  windows: Record<
    '1h' | '24h',
    {
      total: WindowStats;
      routes: Record<string, WindowStats>;
      tenants: Record<string, WindowStats>;
    }
  >;
}

/** One key's two windows: 1 h in 60 one-minute slots, 24 h in 96 quarter-hour slots. */
class Pair {
  readonly hour = new SlidingWindow(60_000, 60);
  readonly day = new SlidingWindow(15 * 60_000, 96);
  record(now: number, seconds: number, error: boolean) {
    this.hour.record(now, seconds, error);
    this.day.record(now, seconds, error);
  }
}

class Keyed {
  readonly pairs = new Map<string, Pair>();
  constructor(readonly max: number) {}
  get(key: string): Pair {
    let pair = this.pairs.get(key);
    if (pair) return pair;
    const k = this.pairs.size >= this.max ? 'other' : key;
    pair = this.pairs.get(k);
    if (!pair) {
      pair = new Pair();
      this.pairs.set(k, pair);
    }
    return pair;
  }
  stats(day: boolean, now: number): Record<string, WindowStats> {
    const out: Record<string, WindowStats> = {};
    for (const [key, pair] of this.pairs) out[key] = (day ? pair.day : pair.hour).stats(now);
    return out;
  }
}

/**
 * Request rate, 5xx rate and P50/P95/P99 per route and per tenant over the last hour and
 * day, from fixed-size sliding windows (at most `maxKeys` routes and tenants each, about
 * 9 KB per key). A `RequestObserver`: `metrics()` feeds it every request.
 */
export class RequestSummary implements RequestObserver {
  readonly #total = new Pair();
  readonly #routes: Keyed;
  readonly #tenants: Keyed;
  readonly #now: () => number;

  constructor(options: SummaryOptions = {}) {
    const max = options.maxKeys ?? 500;
    this.#routes = new Keyed(max);
    this.#tenants = new Keyed(max);
    this.#now = options.now ?? Date.now;
  }

  observe(sample: RequestSample): void {
    const error = sample.status >= 500;
    const at = sample.endedAt;
    this.#total.record(at, sample.seconds, error);
    this.#routes.get(`${sample.method} ${sample.route}`).record(at, sample.seconds, error);
    if (sample.tenant) this.#tenants.get(sample.tenant).record(at, sample.seconds, error);
  }

  summary(): Summary {
    const now = this.#now();
    const window = (day: boolean) => ({
      total: (day ? this.#total.day : this.#total.hour).stats(now),
      routes: this.#routes.stats(day, now),
      tenants: this.#tenants.stats(day, now),
    });
    return {
      generatedAt: new Date(now).toISOString(),
      windows: { '1h': window(false), '24h': window(true) },
    };
  }
}
