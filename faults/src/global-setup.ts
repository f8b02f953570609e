import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearTable, renderTable } from './table.js';

/** One table file per run; printed once every scenario has run. */
export default function setup(): () => void {
  const path = join(tmpdir(), `faults-table-${process.pid}-${Date.now()}.jsonl`);
  process.env.FAULTS_TABLE_FILE = path;
  clearTable(path);
  return () => {
    console.log(`\nReliability under faults\n\n${renderTable(path)}\n`);
    clearTable(path);
  };
}
