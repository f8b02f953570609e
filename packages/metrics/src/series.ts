import type { MetricLabels } from '@platform/core';

/** The label value every tenant past the cap, and every series past `maxSeries`, records as. */
export const OTHER = 'other';

/**
 * The tenants that keep their own series: the first `max` distinct tenants seen, in the
 * order they arrive; every later one is recorded as `other`. One cap per registry, shared
 * by every instrument, so a tenant is either itself everywhere or `other` everywhere.
 */
export class TenantCap {
  readonly #admitted = new Set<string>();
  constructor(readonly max: number) {}

  label(tenant: string): string {
    if (this.#admitted.has(tenant)) return tenant;
    if (this.#admitted.size >= this.max) return OTHER;
    this.#admitted.add(tenant);
    return tenant;
  }

  get size(): number {
    return this.#admitted.size;
  }
}

/**
 * The label sets one instrument has recorded, keyed by their values: at most `max` of
 * them, so memory stays bounded whatever the callers pass. Past the cap a new label set
 * is recorded as the one overflow series (every value `other`) and `onOverflow` is told.
 */
export class SeriesSet {
  // A tree of maps, one level per label, the label object at the leaf: a lookup is one
  // Map.get per label on strings the caller already has, no key string built per record.
  readonly #root = new Map<string, unknown>();
  readonly #overflow: Record<string, string>;
  #size = 0;

  constructor(
    readonly names: readonly string[],
    readonly tenants: TenantCap,
    readonly max: number,
    readonly onOverflow: () => void,
  ) {
    this.#overflow = Object.fromEntries(names.map((n) => [n, OTHER]));
  }

  get size(): number {
    return this.#size;
  }

  /** The label object to record with: only declared names, values as strings, tenant capped. */
  labels(input: MetricLabels | undefined): Record<string, string> {
    const names = this.names;
    const last = names.length - 1;
    if (last < 0) return this.#overflow; // no labels: the one series, `{}`
    let level = this.#root;
    for (let i = 0; i < last; i++) {
      const value = this.#value(names[i] as string, input);
      let below = level.get(value) as Map<string, unknown> | undefined;
      if (below === undefined) {
        if (this.#size >= this.max) return this.#full();
        below = new Map();
        level.set(value, below);
      }
      level = below;
    }
    const value = this.#value(names[last] as string, input);
    const found = level.get(value) as Record<string, string> | undefined;
    if (found !== undefined) return found;
    if (this.#size >= this.max) return this.#full();
    const labels: Record<string, string> = {};
    for (const name of names) labels[name] = this.#value(name, input);
    level.set(value, labels);
    this.#size++;
    return labels;
  }

  #full(): Record<string, string> {
    this.onOverflow();
    return this.#overflow;
  }

  #value(name: string, input: MetricLabels | undefined): string {
    const raw = input?.[name];
    if (typeof raw === 'string')
      return name === 'tenant' && raw !== '' ? this.tenants.label(raw) : raw;
    return raw === undefined || raw === null ? '' : String(raw);
  }
}
