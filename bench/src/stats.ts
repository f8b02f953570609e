import type { LoadSample } from './load.js';
import type { LatencySample } from './probe.js';
import type { Comparison, Suite, Variant } from './suite.js';

export interface VariantSummary {
  name: string;
  kind: string;
  baseline: boolean;
  /** Median over rounds of each run's requests per second. */
  rps: number;
  /** Medians over rounds of each run's latency percentiles, in ms. */
  p50: number;
  p99: number;
  /** Median req/s divided by the median req/s of the same kind's baseline. */
  ratio: number;
  /** Median server CPU time per request (user + system), in microseconds. */
  cpuUs: number;
  /**
   * Baseline CPU per request divided by this variant's: the throughput ratio a server
   * would reach on a dedicated core. Steadier than `ratio` when the machine is shared.
   */
  cpuRatio: number;
  runs: LoadSample[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Medians over rounds of the listed fields of each variant's runs, with its kind's baseline row. */
function mediansByVariant<S, K extends keyof S & string>(
  suite: Suite,
  runs: Map<Variant, S[]>,
  fields: readonly K[],
) {
  const rows = suite.variants.map((variant) => {
    const samples = runs.get(variant) ?? [];
    const m = {} as Record<K, number>;
    for (const f of fields) m[f] = median(samples.map((s) => (s[f] as number) ?? Number.NaN));
    return { variant, m, runs: samples };
  });
  return rows.map((row) => ({
    ...row,
    name: row.variant.name,
    kind: row.variant.kind,
    baseline: row.variant.baseline === true,
    base: rows.find((r) => r.variant.kind === row.variant.kind && r.variant.baseline),
  }));
}

/** Reduces the runs of each variant to medians and ratios against its kind's baseline. */
export function summarize(suite: Suite, runs: Map<Variant, LoadSample[]>): VariantSummary[] {
  const fields = ['rps', 'p50', 'p99', 'cpuUs'] as const;
  return mediansByVariant(suite, runs, fields).map(({ name, kind, baseline, m, runs, base }) => ({
    name,
    kind,
    baseline,
    ...m,
    ratio: base ? m.rps / base.m.rps : Number.NaN,
    cpuRatio: base ? base.m.cpuUs / m.cpuUs : Number.NaN,
    runs,
  }));
}

export interface LatencySummary {
  name: string;
  kind: string;
  baseline: boolean;
  /** Medians over rounds of each run's percentiles, in µs. */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** This variant's median p50 / p99 minus its kind's baseline's, in µs. */
  p50Added: number;
  p99Added: number;
  /** Median server CPU time per request (user + system), in microseconds. */
  cpuUs: number;
  runs: LatencySample[];
}

/** Reduces latency runs to medians over rounds and the latency added to the kind's baseline. */
export function summarizeLatency(
  suite: Suite,
  runs: Map<Variant, LatencySample[]>,
): LatencySummary[] {
  const fields = ['p50', 'p90', 'p99', 'p999', 'cpuUs'] as const;
  return mediansByVariant(suite, runs, fields).map(({ name, kind, baseline, m, runs, base }) => ({
    name,
    kind,
    baseline,
    ...m,
    p50Added: base ? m.p50 - base.m.p50 : Number.NaN,
    p99Added: base ? m.p99 - base.m.p99 : Number.NaN,
    runs,
  }));
}

const num = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

/** The summary as a markdown table, one row per variant. */
export function markdownTable(rows: VariantSummary[]): string {
  const lines = [
    '| variant | req/s (median) | req/s per round | p50 ms | p99 ms | vs bare | CPU µs/req | vs bare (CPU) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const perRound = r.runs.map((s) => num(s.rps)).join(' / ');
    const ratio = r.baseline ? 'baseline' : num(r.ratio, 2);
    const cpuRatio = r.baseline ? 'baseline' : num(r.cpuRatio, 2);
    lines.push(
      `| ${r.name} | ${num(r.rps)} | ${perRound} | ${num(r.p50, 1)} | ${num(r.p99, 1)} | ${ratio} ` +
        `| ${num(r.cpuUs, 1)} | ${cpuRatio} |`,
    );
  }
  return lines.join('\n');
}

export interface ComparisonSummary extends Comparison {
  /** `variant` req/s over `against` req/s in each round. */
  perRound: number[];
  /** Median of the per-round ratios. */
  ratio: number;
  /** Median of the per-round CPU ratios (`against` CPU µs/req over `variant`'s). */
  cpuRatio: number;
}

/** The suite's comparisons, paired round by round. */
export function summarizeComparisons(
  suite: Suite,
  runs: Map<Variant, LoadSample[]>,
): ComparisonSummary[] {
  const samples = (name: string) =>
    runs.get(suite.variants.find((v) => v.name === name) as Variant) ?? [];
  return (suite.comparisons ?? []).map((c) => {
    const ours = samples(c.variant);
    const theirs = samples(c.against);
    const rounds = Math.min(ours.length, theirs.length);
    const perRound: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const a = ours[i] as LoadSample;
      const b = theirs[i] as LoadSample;
      perRound.push(a.rps / b.rps);
      cpu.push((b.cpuUs ?? Number.NaN) / (a.cpuUs ?? Number.NaN));
    }
    return { ...c, perRound, ratio: median(perRound), cpuRatio: median(cpu) };
  });
}

/** The comparisons as a markdown table. */
export function comparisonTable(rows: ComparisonSummary[]): string {
  const lines = [
    '| comparison | req/s ratio per round | median | CPU ratio (median) | goal |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const goal =
      r.goal === undefined
        ? ''
        : `>= ${r.goal}: ${r.ratio >= r.goal ? 'met' : 'not met'}${r.cpuRatio >= r.goal ? '' : ' (CPU: not met)'}`;
    lines.push(
      `| ${r.variant} vs ${r.against} | ${r.perRound.map((x) => num(x, 2)).join(' / ')} ` +
        `| ${num(r.ratio, 2)} | ${num(r.cpuRatio, 2)} | ${goal} |`,
    );
  }
  return lines.join('\n');
}

const signed = (n: number) => (n > 0 ? `+${num(n)}` : num(n));

/** The latency summary as a markdown table, one row per variant. */
export function latencyTable(rows: LatencySummary[]): string {
  const lines = [
    '| variant | p50 µs | p90 µs | p99 µs | p99.9 µs | p99 µs per round | p50 added | p99 added | CPU µs/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const perRound = r.runs.map((s) => num(s.p99)).join(' / ');
    const added = r.baseline ? ['baseline', 'baseline'] : [signed(r.p50Added), signed(r.p99Added)];
    lines.push(
      `| ${r.name} | ${num(r.p50)} | ${num(r.p90)} | ${num(r.p99)} | ${num(r.p999)} | ${perRound} ` +
        `| ${added[0]} | ${added[1]} | ${num(r.cpuUs, 1)} |`,
    );
  }
  return lines.join('\n');
}
