import type { Cell, EvidenceTable } from '../collectors/types.js';

function cell(v: Cell): string {
  const s = v === undefined || v === null ? '' : String(v);
  // defuse spreadsheet formulas, then quote when needed
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180 CSV (CRLF line ends) with a header line. */
export function toCsv(table: EvidenceTable): string {
  const lines = [table.columns.map(cell).join(',')];
  for (const row of table.rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
