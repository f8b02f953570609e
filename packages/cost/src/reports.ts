import { formatUsd } from './money.js';
import type { LedgerStore, UsageTotals } from './store.js';
import { addTotals, noTotals, TOKEN_FIELDS } from './totals.js';

export type Granularity = 'day' | 'week' | 'month';
export type Dimension = 'tenant' | 'user' | 'model';

export interface ReportQuery {
  /** Omit for every tenant. */
  tenant?: string;
  /** `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  granularity?: Granularity;
  /** Dimensions kept apart (others are summed). Default all three. */
  groupBy?: Dimension[];
}

interface Totals extends Omit<UsageTotals, 'costNanoUsd'> {
  totalTokens: number;
  /** Exact nano-USD as a decimal string (JSON has no 64-bit integers). */
  costNanoUsd: string;
  costUsd: string;
}

export interface ReportRow extends Totals {
  /** `YYYY-MM-DD` (day; the Monday of a week) or `YYYY-MM` (month). */
  period: string;
  tenant?: string;
  user?: string;
  model?: string;
}

export interface UsageReport {
  from: string;
  to: string;
  granularity: Granularity;
  tenant?: string;
  rows: ReportRow[];
  totals: Totals;
}

/** The period a day falls in: the day, its ISO week's Monday, or its month. */
export function periodOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

function totalsOf(rows: UsageTotals): Totals {
  const tokens = TOKEN_FIELDS.reduce((s, f) => s + rows[f], 0);
  return {
    calls: rows.calls,
    inputTokens: rows.inputTokens,
    cacheReadTokens: rows.cacheReadTokens,
    cacheWriteTokens: rows.cacheWriteTokens,
    outputTokens: rows.outputTokens,
    reasoningTokens: rows.reasoningTokens,
    totalTokens: tokens,
    costNanoUsd: rows.costNanoUsd.toString(),
    costUsd: formatUsd(rows.costNanoUsd, 6),
  };
}

/**
 * Usage and cost per period and per tenant / user / model, from the ledger's daily rollups.
 * Rows are sorted and money is exact, so the same ledger always gives the same report.
 *
 * @example
 * const report = await buildReport(ledger, { tenant: 'acme', from: '2026-11-01', to: '2026-11-30', granularity: 'week' });
 */
export async function buildReport(ledger: LedgerStore, q: ReportQuery): Promise<UsageReport> {
  const granularity = q.granularity ?? 'day';
  const dims = new Set<Dimension>(q.groupBy ?? ['tenant', 'user', 'model']);
  const rollups = await ledger.rollups({ tenant: q.tenant, fromDay: q.from, toDay: q.to });
  const groups = new Map<string, { key: Omit<ReportRow, keyof Totals>; acc: UsageTotals }>();
  const all = noTotals();
  for (const r of rollups) {
    const key: Omit<ReportRow, keyof Totals> = { period: periodOf(r.day, granularity) };
    if (dims.has('tenant')) key.tenant = r.tenant;
    if (dims.has('user')) key.user = r.user;
    if (dims.has('model')) key.model = r.model;
    const id = JSON.stringify(key);
    let g = groups.get(id);
    if (!g) {
      g = { key, acc: noTotals() };
      groups.set(id, g);
    }
    addTotals(g.acc, r);
    addTotals(all, r);
  }
  const rows = [...groups.values()]
    .map((g) => ({ ...g.key, ...totalsOf(g.acc) }))
    .sort((a, b) => {
      for (const k of ['period', 'tenant', 'user', 'model'] as const) {
        const x = a[k] ?? '';
        const y = b[k] ?? '';
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
  return {
    from: q.from,
    to: q.to,
    granularity,
    ...(q.tenant === undefined ? {} : { tenant: q.tenant }),
    rows,
    totals: totalsOf(all),
  };
}

const CSV_COLUMNS = [
  'period',
  'tenant',
  'user',
  'model',
  'calls',
  ...TOKEN_FIELDS,
  'totalTokens',
  'costNanoUsd',
  'costUsd',
] as const;

function csvCell(v: unknown): string {
  const s = v === undefined ? '' : String(v);
  // Quote when needed, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180 CSV with a header line and a final TOTAL line. */
export function reportToCsv(report: UsageReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of report.rows) lines.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  const t: Record<string, unknown> = { period: 'TOTAL', ...report.totals };
  lines.push(CSV_COLUMNS.map((c) => csvCell(t[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
