import type { EvaluationCount } from './store.js';

/**
 * Evaluation counters per flag × variant × tenant, aggregated in memory and drained on
 * flush. Bounded: past `maxKeys` distinct combinations new ones are dropped and counted.
 */
export class EvaluationCounter {
  private counts = new Map<
    string,
    { flag: string; variant: string; tenant: string; count: number; last: number }
  >();
  /** Evaluations not counted because the table was full. */
  dropped = 0;

  constructor(private readonly maxKeys = 10_000) {}

  add(flag: string, variant: string | undefined, tenant: unknown, n = 1): void {
    const t = typeof tenant === 'string' ? tenant : '';
    const v = variant ?? '';
    const k = `${flag}\u0000${v}\u0000${t}`;
    const entry = this.counts.get(k);
    if (entry) {
      entry.count += n;
      entry.last = Date.now();
      return;
    }
    if (this.counts.size >= this.maxKeys) {
      this.dropped += n;
      return;
    }
    this.counts.set(k, { flag, variant: v, tenant: t, count: n, last: Date.now() });
  }

  get size(): number {
    return this.counts.size;
  }

  /** Takes the counts gathered since the last drain. */
  drain(): EvaluationCount[] {
    const out: EvaluationCount[] = [];
    for (const c of this.counts.values()) {
      out.push({
        flag: c.flag,
        variant: c.variant,
        tenant: c.tenant,
        count: c.count,
        lastEvaluated: new Date(c.last).toISOString(),
      });
    }
    this.counts.clear();
    return out;
  }

  /** Puts counts back after a failed flush (bounded like `add`). */
  restore(counts: EvaluationCount[]): void {
    for (const c of counts) this.add(c.flag, c.variant, c.tenant, c.count);
  }
}
