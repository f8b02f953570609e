/** The window a pack covers: `from` inclusive, `to` exclusive. */
export interface EvidencePeriod {
  from: Date;
  to: Date;
}

/** What every collector is asked for. */
export interface CollectContext {
  period: EvidencePeriod;
  /** One tenant, or every tenant the sources know when absent. */
  tenant?: string;
  /** Aborted when the collector's time is up. */
  signal: AbortSignal;
}

export type Cell = string | number | boolean | null | undefined;

/** Rows written as a CSV file beside the JSON one. */
export interface EvidenceTable {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/** One piece of evidence: `<name>.json`, and `<name>.csv` when it has a table. */
export interface EvidenceFile {
  /** File name without extension: letters, digits, `.`, `_`, `-`. */
  name: string;
  json: unknown;
  table?: EvidenceTable;
}

/** A check the evidence passes or fails (a chain that verifies, a header grade reached). */
export interface Finding {
  ok: boolean;
  detail: string;
}

export type CollectorStatus = 'collected' | 'not-collected' | 'failed';

export interface CollectorResult {
  status: CollectorStatus;
  /** Why nothing was collected, or what failed. */
  reason?: string;
  /** One line for the summary: what was found. */
  summary?: string;
  findings: Finding[];
  files: EvidenceFile[];
}

/**
 * Gathers one kind of evidence through a package's public API. `id` is what templates name;
 * a collector without a source answers `notCollected(reason)` rather than throwing.
 */
export interface Collector {
  readonly id: string;
  readonly title: string;
  collect(context: CollectContext): Promise<CollectorResult>;
}

/** The answer of a collector that has no source configured. */
export function notCollected(reason: string): CollectorResult {
  return { status: 'not-collected', reason, findings: [], files: [] };
}

/** A collected result. */
export function collected(
  summary: string,
  files: EvidenceFile[],
  findings: Finding[] = [],
): CollectorResult {
  return { status: 'collected', summary, findings, files };
}

/** `YYYY-MM-DD` of the period's first and last day (UTC; `to` is exclusive). */
export function periodDays(period: EvidencePeriod): { from: string; to: string } {
  return {
    from: period.from.toISOString().slice(0, 10),
    to: new Date(Math.max(period.from.getTime(), period.to.getTime() - 1))
      .toISOString()
      .slice(0, 10),
  };
}
