import type { EvaluationCount } from './store.js';

interface Entry {
  flag: string;
  variant: string;
  tenant: string;
  count: number;
  last: number;
}

// A coarse clock (1 s) so counting an evaluation does not read the time on each call.
let clock = Date.now();
let ticking: NodeJS.Timeout | undefined;
function now(): number {
  if (!ticking) {
    ticking = setInterval(() => {
      clock = Date.now();
    }, 1_000);
    ticking.unref();
    clock = Date.now();
  }
  return clock;
}

/**
 * Evaluation counters per flag × variant × tenant, aggregated in memory and drained on
 * flush. Bounded: past `maxKeys` distinct combinations new ones are dropped and counted.
 */
export class EvaluationCounter {
  // flag → variant → tenant: nested lookups on existing strings, no key built per call
  private counts = new Map<string, Map<string, Map<string, Entry>>>();
  private keys = 0;
  /** Evaluations not counted because the table was full. */
  dropped = 0;

  constructor(private readonly maxKeys = 10_000) {}

  add(flag: string, variant: string | undefined, tenant: unknown, n = 1): void {
    const t = typeof tenant === 'string' ? tenant : '';
    const v = variant ?? '';
    let byVariant = this.counts.get(flag);
    if (byVariant === undefined) {
      byVariant = new Map();
      this.counts.set(flag, byVariant);
    }
    let byTenant = byVariant.get(v);
    if (byTenant === undefined) {
      byTenant = new Map();
      byVariant.set(v, byTenant);
    }
    const entry = byTenant.get(t);
    if (entry !== undefined) {
      entry.count += n;
      entry.last = now();
      return;
    }
    if (this.keys >= this.maxKeys) {
      this.dropped += n;
      return;
    }
    this.keys++;
    byTenant.set(t, { flag, variant: v, tenant: t, count: n, last: now() });
  }

  get size(): number {
    return this.keys;
  }

  /** Takes the counts gathered since the last drain. */
  drain(): EvaluationCount[] {
    const out: EvaluationCount[] = [];
    for (const byVariant of this.counts.values()) {
      for (const byTenant of byVariant.values()) {
        for (const c of byTenant.values()) {
          out.push({
            flag: c.flag,
            variant: c.variant,
            tenant: c.tenant,
            count: c.count,
            lastEvaluated: new Date(c.last).toISOString(),
          });
        }
      }
    }
    this.counts.clear();
    this.keys = 0;
    return out;
  }

  /** Puts counts back after a failed flush (bounded like `add`). */
  restore(counts: EvaluationCount[]): void {
    for (const c of counts) this.add(c.flag, c.variant, c.tenant, c.count);
  }
}
