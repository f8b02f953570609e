import type { LoadSample } from './load.js';
import { median } from './stats.js';
import type { Ablation, Suite, Variant } from './suite.js';

export interface AblationRow {
  /** The part left out. */
  part: string;
  variant: string;
  /** Median req/s over rounds. */
  rps: number;
  /** Median over rounds of this variant's req/s over the full chain's in the same round. */
  rpsVsFull: number;
  /** Median server CPU µs per request. */
  cpuUs: number;
  /** Median over rounds of (full chain's CPU µs/req − this variant's): what the part costs. */
  cpuSavedUs: number;
  /**
   * The same from each variant's least disturbed round (lowest CPU µs/req of full minus
   * lowest of this): on a shared machine contention only adds CPU, so the minimum is the
   * steadier estimate when rounds are few.
   */
  cpuSavedBestUs: number;
}

export interface AblationSummary {
  full: string;
  /** The full chain's median CPU µs/req, and its kind's baseline's. */
  fullCpuUs: number;
  /** The full chain's lowest CPU µs/req over rounds, and its kind's baseline's. */
  fullBestCpuUs: number;
  baselineBestCpuUs: number;
  fullRps: number;
  baselineCpuUs: number;
  rows: AblationRow[];
}

/** Each ablation's parts, paired round by round with the full chain. */
export function summarizeAblations(
  suite: Suite,
  runs: Map<Variant, LoadSample[]>,
): AblationSummary[] {
  const byName = (name: string) => suite.variants.find((v) => v.name === name) as Variant;
  const samples = (name: string) => runs.get(byName(name)) ?? [];
  const cpu = (s: LoadSample | undefined) => s?.cpuUs ?? Number.NaN;
  const best = (list: LoadSample[]) => Math.min(...list.map(cpu));
  return (suite.ablations ?? []).map((a: Ablation) => {
    const full = samples(a.full);
    const kind = byName(a.full).kind;
    const base = suite.variants.find((v) => v.kind === kind && v.baseline);
    const baseRuns = base ? (runs.get(base) ?? []) : [];
    const rows = a.without.map(({ part, variant }) => {
      const mine = samples(variant);
      const rounds = Math.min(mine.length, full.length);
      const rpsRatio: number[] = [];
      const saved: number[] = [];
      for (let i = 0; i < rounds; i++) {
        rpsRatio.push((mine[i]?.rps ?? Number.NaN) / (full[i]?.rps ?? Number.NaN));
        saved.push(cpu(full[i]) - cpu(mine[i]));
      }
      return {
        part,
        variant,
        rps: median(mine.map((s) => s.rps)),
        rpsVsFull: median(rpsRatio),
        cpuUs: median(mine.map(cpu)),
        cpuSavedUs: median(saved),
        cpuSavedBestUs: best(full) - best(mine),
      };
    });
    return {
      full: a.full,
      fullRps: median(full.map((s) => s.rps)),
      fullCpuUs: median(full.map(cpu)),
      baselineCpuUs: median(baseRuns.map(cpu)),
      fullBestCpuUs: best(full),
      baselineBestCpuUs: best(baseRuns),
      rows,
    };
  });
}

const fmt = (n: number, digits: number) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const signed = (n: number) => (n > 0 ? `+${fmt(n, 1)}` : fmt(n, 1));
const share = (part: number, whole: number) =>
  Number.isFinite(part / whole) && whole > 0 ? `${Math.round((100 * part) / whole)} %` : 'n/a';

/**
 * One table per ablation: the full chain, then each part left out with what it costs
 * (CPU µs/req saved without it) and its share of what the chain adds over bare.
 */
export function ablationTable(ablations: AblationSummary[]): string {
  const lines = [
    '| chain | left out | req/s (median) | req/s vs full | CPU µs/req | part costs (CPU µs/req) | share of chain over bare | part costs, best rounds | share, best rounds |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const a of ablations) {
    const added = a.fullCpuUs - a.baselineCpuUs;
    const addedBest = a.fullBestCpuUs - a.baselineBestCpuUs;
    lines.push(
      `| ${a.full} | nothing | ${fmt(a.fullRps, 0)} | 1.00 | ${fmt(a.fullCpuUs, 1)} ` +
        `| ${signed(added)} over bare (${fmt(a.baselineCpuUs, 1)}) | 100 % ` +
        `| ${signed(addedBest)} over bare (${fmt(a.baselineBestCpuUs, 1)}) | 100 % |`,
    );
    for (const r of a.rows) {
      lines.push(
        `| | ${r.part} | ${fmt(r.rps, 0)} | ${fmt(r.rpsVsFull, 2)} | ${fmt(r.cpuUs, 1)} ` +
          `| ${signed(r.cpuSavedUs)} | ${share(r.cpuSavedUs, added)} ` +
          `| ${signed(r.cpuSavedBestUs)} | ${share(r.cpuSavedBestUs, addedBest)} |`,
      );
    }
    const sum = a.rows.reduce((total, r) => total + r.cpuSavedUs, 0);
    const sumBest = a.rows.reduce((total, r) => total + r.cpuSavedBestUs, 0);
    lines.push(
      `| | sum of the parts | | | | ${signed(sum)} | ${share(sum, added)} ` +
        `| ${signed(sumBest)} | ${share(sumBest, addedBest)} |`,
    );
  }
  return lines.join('\n');
}
