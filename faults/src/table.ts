import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One line of the reliability table. `undefined` figures print as `n/a`. */
export interface ReliabilityRow {
  scenario: string;
  /** Written events (audit rows, usage records) the store lost; answered writes minus rows. */
  eventsLost?: number;
  /** Slowest answer to a request sent while the dependency was out. */
  maxAnswerMs?: number;
  /** Requests not answered within their deadline, or answered 5xx against policy. */
  unanswered?: number;
  /** From healing the dependency until the app used it again (and caught up). */
  recoveryMs?: number;
  /** Store retries, where the app exposes them. */
  retries?: number;
  /** Did the app process stay up? */
  processUp: boolean;
  note?: string;
}

// the global setup sets this for the whole run; a file run alone gets its own
const file = () =>
  process.env.FAULTS_TABLE_FILE ?? join(tmpdir(), `faults-table-${process.pid}.jsonl`);

export function recordRow(row: ReliabilityRow): void {
  appendFileSync(file(), `${JSON.stringify(row)}\n`);
}

const fmt = (v: number | undefined, unit = '') =>
  v === undefined ? 'n/a' : `${Math.round(v)}${unit}`;

/** The table of every row recorded in this run, as aligned text. */
export function renderTable(path = file()): string {
  if (!existsSync(path)) return '(no scenario recorded a row)';
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ReliabilityRow);
  const head = [
    'scenario',
    'process up',
    'events lost',
    'max answer (outage)',
    'unanswered',
    'recovery',
    'retries',
    'note',
  ];
  const body = rows.map((r) => [
    r.scenario,
    r.processUp ? 'yes' : 'NO',
    fmt(r.eventsLost),
    fmt(r.maxAnswerMs, ' ms'),
    fmt(r.unanswered),
    fmt(r.recoveryMs, ' ms'),
    fmt(r.retries),
    r.note ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function clearTable(path = file()): void {
  rmSync(path, { force: true });
}
