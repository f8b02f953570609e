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

/** Label values for small integers (status codes), so a record does not build the string. */
const SMALL = Array.from({ length: 1000 }, (_, i) => String(i));

/**
 * The series one instrument has recorded, keyed by their label values: at most `max` of
 * them, so memory stays bounded whatever the callers pass. Each series holds one cell (what
 * `make` builds from its label object: a counter's value, a histogram's buckets). Past the
 * cap a new label set records into the one overflow series (every value `other`) and
 * `onOverflow` is told.
 */
export class SeriesSet<C> {
  // A tree of maps, one level per label, the cell at the leaf: a lookup is one Map.get per
  // label on strings the caller already has, no key string built per record.
  #root = new Map<string, unknown>();
  #cells: C[] = [];
  #overflow: C | undefined;
  readonly #overflowLabels: Record<string, string>;

  constructor(
    readonly names: readonly string[],
    readonly tenants: TenantCap,
    readonly max: number,
    readonly make: (labels: Record<string, string>) => C,
    readonly onOverflow: () => void,
  ) {
    this.#overflowLabels = Object.fromEntries(names.map((n) => [n, OTHER]));
  }

  get size(): number {
    return this.#cells.length;
  }

  /** Every series' cell, the overflow series last. */
  cells(): C[] {
    return this.#overflow === undefined ? this.#cells : [...this.#cells, this.#overflow];
  }

  /** Forgets every series. */
  clear(): void {
    this.#root = new Map();
    this.#cells = [];
    this.#overflow = undefined;
  }

  /** The cell of the series `input` names: only declared names, values as strings, tenant capped. */
  cell(input: MetricLabels | undefined): C {
    const names = this.names;
    const last = names.length - 1;
    if (last < 0) return this.#full(false); // no labels: the one series, `{}`
    let level = this.#root;
    for (let i = 0; i < last; i++) {
      const value = this.#value(names[i] as string, input);
      let below = level.get(value) as Map<string, unknown> | undefined;
      if (below === undefined) {
        if (this.#cells.length >= this.max) return this.#full(true);
        below = new Map();
        level.set(value, below);
      }
      level = below;
    }
    const value = this.#value(names[last] as string, input);
    const found = level.get(value) as C | undefined;
    if (found !== undefined) return found;
    if (this.#cells.length >= this.max) return this.#full(true);
    const labels: Record<string, string> = {};
    for (const name of names) labels[name] = this.#value(name, input);
    const cell = this.make(labels);
    level.set(value, cell);
    this.#cells.push(cell);
    return cell;
  }

  #full(overflowed: boolean): C {
    if (overflowed) this.onOverflow();
    if (this.#overflow === undefined) this.#overflow = this.make(this.#overflowLabels);
    return this.#overflow;
  }

  #value(name: string, input: MetricLabels | undefined): string {
    const raw = input?.[name];
    if (typeof raw === 'string')
      return name === 'tenant' && raw !== '' ? this.tenants.label(raw) : raw;
    if (typeof raw === 'number' && raw >= 0 && raw < 1000 && Number.isInteger(raw))
      return SMALL[raw] as string;
    return raw === undefined || raw === null ? '' : String(raw);
  }
}
