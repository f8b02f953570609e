import {
  connectionWatch,
  migrate as migrateSchema,
  pingGuard,
  type SqlClient,
  sqlIdentifier,
  sqlPing,
  watchPoolErrors,
  withTransaction,
} from '@platform/core/stores';
import { type Checkpoint, GENESIS_HASH, linkEventsInSlices } from '../chain.js';
import type { PendingEvent, StoredEvent } from '../schema.js';
import {
  type AuditPage,
  type AuditQuery,
  type AuditStore,
  type ChainRange,
  clampLimit,
  encodeCursor,
  type PurgeRequest,
  type PurgeResult,
} from '../store.js';
import { COLS, type Row, searchSql, toCheckpoint, toEvent } from './pg-rows.js';
import { auditMigrations, monthOf } from './pg-schema.js';
import { watchTableRows } from './pg-table-rows.js';

const warnOnce = (error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', msg: 'audit', where: 'store-connection', error: error instanceof Error ? error.message : String(error) })}\n`,
  );
};

function lostConnection(error: Error): Error {
  return new Error(
    `PostgreSQL connection lost (${error.message}); audit writes wait in the queue and are retried`,
    { cause: error },
  );
}

export interface PostgresStoreOptions {
  /** A `pg` Pool or Client, or a PGlite instance. */
  client: SqlClient;
  /** Schema holding the tables. Default `'public'`. */
  schema?: string;
  /** Clock for `recordedAt` and partition placement (tests, backfills). */
  now?: () => Date;
  /**
   * Where a lost connection is reported (once per outage). The trail that uses the store
   * passes its own `onError`; until then, one warning line on stderr.
   */
  onError?: (error: unknown, where: string) => void;
}

export interface PostgresAuditStore extends AuditStore {
  /** Creates the schema, tables, indexes and this month's and next month's partitions. Idempotent. */
  migrate(): Promise<void>;
  /**
   * Stops reporting `platform_audit_table_rows` for this store and stops listening to the
   * client's `error` events; the host's pool stays open.
   */
  close(): Promise<void>;
  /** `SELECT 1`; rejects with a StoreUnavailableError when PostgreSQL has not answered within 2 s. */
  ping(): Promise<void>;
}

/**
 * The PostgreSQL store: monthly partitions by `recordedAt`, a locked chain head row per
 * tenant so each batch extends the chain in one transaction, multi-row INSERTs, and
 * partition drops for retention. Works with `pg` (Pool or Client) and PGlite.
 *
 * @example
 * const store = postgresStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await store.migrate();
 */
export function postgresStore(options: PostgresStoreOptions): PostgresAuditStore {
  const { client } = options;
  const schema = options.schema ?? 'public';
  const s = sqlIdentifier(schema, 'postgresStore schema');
  const now = options.now ?? (() => new Date());
  let report = options.onError ?? warnOnce;
  const watch = connectionWatch((error) => report(lostConnection(error), 'store-connection'));
  // A pooled connection that dies while idle (a restart, a failover, a proxy timeout) makes
  // the Pool (or Client) emit 'error'; with no listener that ends the process. Listening is
  // all it takes: the pool drops the dead connection and the next statement opens another.
  const unwatch = watchPoolErrors(client, watch);
  const unwatchRows = watchTableRows(client, `${s}.audit_events`, `${schema}.audit_events`);
  const tx = <T>(fn: (db: SqlClient) => Promise<T>) =>
    withTransaction(client, fn, { onConnectionError: watch.lost });
  const partitions = new Set<string>();

  const ensurePartition = async (at: Date) => {
    const m = monthOf(at);
    if (partitions.has(m.suffix)) return;
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.audit_events_p${m.suffix} PARTITION OF ${s}.audit_events FOR VALUES FROM ('${m.from.toISOString()}') TO ('${m.to.toISOString()}')`,
      );
    } catch (error) {
      // a concurrent creator won the race
      if ((error as { code?: string }).code !== '42P07') throw error;
    }
    partitions.add(m.suffix);
  };

  /**
   * Places a batch in its tenants' chains inside transaction `db` with the same five
   * statements whatever the number of tenants: every head upserted and locked in one
   * statement (in `tenants` order, so two writers never deadlock), stored ids looked up in
   * one, all rows in one `INSERT … SELECT`, all heads moved in one `UPDATE`. A statement per
   * tenant made a batch over 1,000 tenants cost 4,000 round trips.
   */
  const appendBatch = async (
    db: SqlClient,
    tenants: string[],
    byTenant: Map<string, PendingEvent[]>,
  ): Promise<StoredEvent[]> => {
    const heads = await db.query(
      `INSERT INTO ${s}.audit_chain_heads AS h (tenant_id, seq, hash, recorded_at)
       SELECT t, 0, $2, 'epoch' FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n
       ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = h.tenant_id
       RETURNING tenant_id, seq, hash, recorded_at`,
      [tenants, GENESIS_HASH],
    );
    const headOf = new Map(heads.rows.map((r) => [String(r.tenant_id), r as Row]));
    const all = tenants.flatMap((t) => byTenant.get(t) as PendingEvent[]);
    const seen = await db.query(
      `SELECT e.id::text AS id FROM unnest($1::text[], $2::uuid[]) AS u(t, id)
       JOIN ${s}.audit_events e ON e.tenant_id = u.t AND e.id = u.id`,
      [all.map((e) => e.tenantId), all.map((e) => e.id)],
    );
    const dup = new Set(seen.rows.map((r) => String(r.id)));
    const json: string[] = [];
    // each event's prevHash and hash, in the order of `json`
    const prevs: string[] = [];
    const hashes: string[] = [];
    const moved: { tenant: string; end: StoredEvent }[] = [];
    const out: StoredEvent[] = [];
    const clock = now();
    for (const tenant of tenants) {
      const fresh = (byTenant.get(tenant) as PendingEvent[]).filter((e) => !dup.has(e.id));
      if (fresh.length === 0) continue;
      const head = headOf.get(tenant) as Row;
      const last = new Date(head.recorded_at as string);
      const at = last > clock ? last : clock;
      const linked = await linkEventsInSlices(
        Number(head.seq) > 0 ? { seq: Number(head.seq), hash: String(head.hash) } : undefined,
        fresh,
        at.toISOString(),
        json,
      );
      for (const e of linked) {
        prevs.push(e.prevHash);
        hashes.push(e.hash);
        out.push(e);
      }
      moved.push({ tenant, end: linked[linked.length - 1] as StoredEvent });
    }
    if (out.length === 0) return out;
    // The canonical JSON documents go as one JSON array (joined, not escaped element by
    // element as a jsonb[] literal would be); the columns are read back out of them, so
    // they match what was hashed by construction.
    await db.query(
      `INSERT INTO ${s}.audit_events (${COLS})
       SELECT d->>'tenantId', (d->>'seq')::bigint, (d->>'id')::uuid, (d->>'occurredAt')::timestamptz,
              (d->>'recordedAt')::timestamptz, d->>'action', d->>'outcome', d#>>'{actor,id}',
              d#>>'{request,requestId}', ($2::text[])[i], ($3::text[])[i], d
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(d, i)`,
      [`[${json.join(',')}]`, prevs, hashes],
    );
    await db.query(
      `UPDATE ${s}.audit_chain_heads AS h SET seq = u.seq, hash = u.hash, recorded_at = u.at
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[]) AS u(t, seq, hash, at)
       WHERE h.tenant_id = u.t`,
      [
        moved.map((m) => m.tenant),
        moved.map((m) => m.end.seq),
        moved.map((m) => m.end.hash),
        moved.map((m) => m.end.recordedAt),
      ],
    );
    return out;
  };

  const store: PostgresAuditStore = {
    async migrate() {
      await migrateSchema(client, { component: 'audit', schema, migrations: auditMigrations(s) });
      const today = now();
      await ensurePartition(today);
      await ensurePartition(monthOf(today).to);
    },

    async append(events) {
      if (events.length === 0) return [];
      const byTenant = new Map<string, PendingEvent[]>();
      const ids = new Set<string>();
      for (const e of events) {
        if (ids.has(e.id)) continue;
        ids.add(e.id);
        const list = byTenant.get(e.tenantId) ?? [];
        list.push(e);
        byTenant.set(e.tenantId, list);
      }
      await ensurePartition(now());
      // one lock order for every writer, so two batches never deadlock on head rows
      const tenants = [...byTenant.keys()].sort();
      const stored = await tx((db) => appendBatch(db, tenants, byTenant));
      watch.ok();
      return stored;
    },
    reportTo(onError) {
      report = onError;
    },
    ping: sqlPing(client, pingGuard('PostgreSQL audit store')),
    async close() {
      unwatchRows();
      unwatch();
    },

    async query(q: AuditQuery): Promise<AuditPage> {
      const limit = clampLimit(q.limit);
      const { sql, params } = searchSql(s, q, limit);
      const { rows } = await client.query(sql, params);
      const events = rows.slice(0, limit).map(toEvent);
      const last = events[events.length - 1];
      return rows.length > limit && last ? { events, nextCursor: encodeCursor(last) } : { events };
    },

    async *export(range: ChainRange) {
      let from = range.fromSeq ?? 1;
      const to = range.toSeq ?? Number.MAX_SAFE_INTEGER;
      for (;;) {
        const { rows } = await client.query(
          `SELECT ${COLS} FROM ${s}.audit_events WHERE tenant_id = $1 AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT 1000`,
          [range.tenantId, from, to],
        );
        for (const r of rows) yield toEvent(r);
        if (rows.length < 1000) return;
        from = Number((rows[rows.length - 1] as Row).seq) + 1;
      }
    },

    async purge(request: PurgeRequest): Promise<PurgeResult> {
      const result: PurgeResult = { removed: 0, dropped: [], kept: [], checkpoints: [] };
      const { rows } = await client.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = '${s}.audit_events'::regclass ORDER BY c.relname`,
      );
      for (const r of rows) {
        const name = String(r.name);
        const m = /^audit_events_p(\d{4})(\d{2})$/.exec(name);
        if (!m) continue;
        const upper = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
        if (upper > request.before) break;
        const table = `${s}.${sqlIdentifier(name, 'partition')}`;
        const held = await client.query(
          `SELECT 1 FROM ${table} WHERE tenant_id = ANY($1::text[]) LIMIT 1`,
          [[...request.holds]],
        );
        if (held.rows.length > 0) {
          // retention cuts a prefix of every chain: a held partition keeps every later one too
          result.kept.push(name);
          continue;
        }
        if (result.kept.length > 0) {
          result.kept.push(name);
          continue;
        }
        await tx(async (db) => {
          const bounds = await db.query(
            `SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash, count(*) OVER (PARTITION BY tenant_id) AS n
             FROM ${table} ORDER BY tenant_id, seq DESC`,
          );
          for (const b of bounds.rows) {
            const cp = request.sign({
              tenantId: String(b.tenant_id),
              seq: Number(b.seq),
              hash: String(b.hash),
            });
            await saveCheckpoint(db, cp);
            result.checkpoints.push(cp);
            result.removed += Number(b.n);
          }
          await db.query(`DROP TABLE ${table}`);
        });
        partitions.delete(`${m[1]}${m[2]}`);
        result.dropped.push(name);
      }
      return result;
    },

    async head(tenantId) {
      const { rows } = await client.query(
        `SELECT seq, hash FROM ${s}.audit_chain_heads WHERE tenant_id = $1`,
        [tenantId],
      );
      const r = rows[0];
      return r && Number(r.seq) > 0 ? { seq: Number(r.seq), hash: String(r.hash) } : undefined;
    },
    saveCheckpoint: (cp) => saveCheckpoint(client, cp),
    async checkpoints(tenantId) {
      const { rows } = await client.query(
        `SELECT * FROM ${s}.audit_checkpoints WHERE tenant_id = $1 ORDER BY seq`,
        [tenantId],
      );
      return rows.map(toCheckpoint);
    },
    async tenants() {
      const { rows } = await client.query(
        `SELECT tenant_id FROM ${s}.audit_chain_heads WHERE seq > 0 ORDER BY tenant_id`,
      );
      return rows.map((r) => String(r.tenant_id));
    },
  };

  async function saveCheckpoint(db: SqlClient, cp: Checkpoint) {
    await db.query(
      `INSERT INTO ${s}.audit_checkpoints (tenant_id, seq, kind, key_id, hash, created_at, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [cp.tenantId, cp.seq, cp.kind, cp.keyId, cp.hash, cp.createdAt, cp.signature],
    );
  }
  return store;
}
