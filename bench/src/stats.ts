import type { LoadSample } from './load.js';
import type { Suite, Variant } from './suite.js';

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

/** Reduces the runs of each variant to medians and ratios against its kind's baseline. */
export function summarize(suite: Suite, runs: Map<Variant, LoadSample[]>): VariantSummary[] {
  const rows = suite.variants.map((v) => {
    const samples = runs.get(v) ?? [];
    return {
      variant: v,
      rps: median(samples.map((s) => s.rps)),
      p50: median(samples.map((s) => s.p50)),
      p99: median(samples.map((s) => s.p99)),
      cpuUs: median(samples.map((s) => s.cpuUs ?? Number.NaN)),
      runs: samples,
    };
  });
  return rows.map((row) => {
    const base = rows.find((r) => r.variant.kind === row.variant.kind && r.variant.baseline);
    return {
      name: row.variant.name,
      kind: row.variant.kind,
      baseline: row.variant.baseline === true,
      rps: row.rps,
      p50: row.p50,
      p99: row.p99,
      ratio: base ? row.rps / base.rps : Number.NaN,
      cpuUs: row.cpuUs,
      cpuRatio: base ? base.cpuUs / row.cpuUs : Number.NaN,
      runs: row.runs,
    };
  });
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
