import { gauge } from '@platform/core';
import type { SqlClient } from '@platform/core/stores';

const tableRows = gauge({
  name: 'platform_audit_table_rows',
  help: "Estimated rows of the audit events table (PostgreSQL's pg_class.reltuples over its partitions, refreshed at most every 60 s).",
  labelNames: ['table'],
});

// The leaf partitions of a partitioned table (or the table itself): the parent's own estimate
// would count them twice. A table never analyzed has reltuples -1, counted as 0.
const ESTIMATE = `SELECT sum(greatest(c.reltuples, 0))::float8 AS n FROM pg_class c
  WHERE c.relkind <> 'p' AND (c.oid = to_regclass($1)
    OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass($1)))`;

/** One table's cached estimate, shared by every store over it. */
interface Watched {
  client: SqlClient;
  table: string;
  stores: number;
  rows?: number;
  refreshedAt: number;
  inFlight: boolean;
}

// One collector for every open store, and one series per table however many stores use it.
const watched = new Map<string, Watched>();
let removeCollector: (() => void) | undefined;

function refresh(w: Watched): void {
  w.inFlight = true;
  w.refreshedAt = performance.now();
  let pending: Promise<{ rows: { n: unknown }[] }>;
  try {
    pending = w.client.query<{ n: unknown }>(ESTIMATE, [w.table]);
  } catch {
    w.inFlight = false; // a client that throws instead of rejecting must not break the scrape
    return;
  }
  pending
    .then(({ rows: [row] }) => {
      const n = row?.n === null || row?.n === undefined ? Number.NaN : Number(row.n);
      w.rows = Number.isFinite(n) ? n : undefined;
    })
    .catch(() => undefined) // the last estimate stands; the next refresh tries again
    .finally(() => {
      w.inFlight = false;
    });
}

const REFRESH_MS = 60_000;

function collect() {
  const out: [{ table: string }, number][] = [];
  const now = performance.now();
  for (const [label, w] of watched) {
    if (!w.inFlight && now - w.refreshedAt >= REFRESH_MS) refresh(w);
    if (w.rows !== undefined) out.push([{ table: label }, w.rows]);
  }
  return out;
}

/**
 * Reports `table`'s estimated row count on `platform_audit_table_rows{table: label}`. A
 * scrape reads the cached estimate and, when it is older than a minute, starts one query
 * in the background for the next scrape: a scrape never waits for PostgreSQL, and a slow or
 * dead database costs at most one query in flight. No series until the first estimate (or
 * while the table does not exist). Returns the function that takes the store out (call it in
 * `close()`); the series goes when the last store over the table is closed.
 */
export function watchTableRows(client: SqlClient, table: string, label: string): () => void {
  const w = watched.get(label) ?? {
    client,
    table,
    stores: 0,
    refreshedAt: Number.NEGATIVE_INFINITY,
    inFlight: false,
  };
  w.stores++;
  watched.set(label, w);
  removeCollector ??= tableRows.collect(collect);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--w.stores > 0) return;
    watched.delete(label);
    if (watched.size === 0) {
      removeCollector?.();
      removeCollector = undefined;
    }
  };
}
