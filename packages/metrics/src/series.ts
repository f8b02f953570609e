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
  readonly #known = new Map<string, Record<string, string>>();
  readonly #overflow: Record<string, string>;

  constructor(
    readonly names: readonly string[],
    readonly tenants: TenantCap,
    readonly max: number,
    readonly onOverflow: () => void,
  ) {
    this.#overflow = Object.fromEntries(names.map((n) => [n, OTHER]));
  }

  get size(): number {
    return this.#known.size;
  }

  /** The label object to record with: only declared names, values as strings, tenant capped. */
  labels(input: MetricLabels | undefined): Record<string, string> {
    const names = this.names;
    let key = '';
    for (let i = 0; i < names.length; i++) key += `${this.#value(names[i] as string, input)}\u0001`;
    const found = this.#known.get(key);
    if (found !== undefined) return found;
    if (this.#known.size >= this.max) {
      this.onOverflow();
      return this.#overflow;
    }
    const labels: Record<string, string> = {};
    for (const name of names) labels[name] = this.#value(name, input);
    this.#known.set(key, labels);
    return labels;
  }

  #value(name: string, input: MetricLabels | undefined): string {
    const raw = input?.[name];
    const value = raw === undefined || raw === null ? '' : String(raw);
    return name === 'tenant' && value !== '' ? this.tenants.label(value) : value;
  }
}
