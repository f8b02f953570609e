import {
  type Migration,
  migrate as migrateSchema,
  pingGuard,
  type SqlClient,
  sqlIdentifier,
  sqlPing,
  watchPoolErrors,
} from '@platform/core/stores';
import type { z } from 'zod';
import { type FlagsLogger, stderrFlagsLogger } from '../diagnostics.js';
import {
  type FlagState,
  flagStateSchema,
  issueAt,
  type StoreSnapshot,
  segmentSchema,
} from '../model.js';
import {
  type ChangeRecord,
  diffFlags,
  type FlagStore,
  stamp,
  VersionConflictError,
} from '../store.js';
import { changeFeed, type NotificationSource } from './notify.js';

export interface PostgresStoreOptions {
  /** A `pg` Pool / Client or a PGlite instance (anything with `query(text, params)`). */
  client: SqlClient;
  /** Schema holding the tables (default `public`). */
  schema?: string;
  /** Table name prefix (default `platform_flags`). */
  table?: string;
  /**
   * Where change notifications come from: default detects a `pg` Pool (one pooled
   * connection runs LISTEN) or PGlite (`listen()`); `false` uses polling only.
   */
  notifications?: NotificationSource | false;
  /** Change-check polling interval: the fallback when notifications are unavailable (default 500 ms; 15 s while LISTEN works). */
  pollIntervalMs?: number;
  /**
   * Where a lost connection of the pool is reported, once per outage (default: a JSON line
   * on stderr). The store listens for the pool's `error` events, so a dropped idle
   * connection never takes the process down; `false` listens without logging.
   */
  logger?: FlagsLogger | false;
}

function safeJson<S extends z.ZodType>(
  raw: unknown,
  schema: S,
): { success: true; data: z.output<S> } | { success: false; message: (key: string) => string } {
  let value: unknown;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch (err) {
    return { success: false, message: (key) => `${key}: not JSON (${(err as Error).message})` };
  }
  const r = schema.safeParse(value);
  return r.success
    ? { success: true, data: r.data }
    : { success: false, message: (key) => issueAt(key, r.error) };
}

/** Table prefixes leave room for the longest suffix (`_evaluations`) within 63 characters. */
const MAX_PREFIX = 41;

/**
 * The flag store's migrations. Version 1 is what every release before the store kit
 * created, hence `IF NOT EXISTS`, so their databases migrate in place.
 */
function flagMigrations(
  prefix: string,
  t: { flags: string; segments: string; history: string; evals: string },
): Migration[] {
  const historyKey = sqlIdentifier(`${prefix}_history_key`, 'index');
  return [
    {
      version: 1,
      up: [
        `CREATE TABLE IF NOT EXISTS ${t.flags} (key text PRIMARY KEY, version integer NOT NULL, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
        `CREATE TABLE IF NOT EXISTS ${t.segments} (key text PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
        `CREATE TABLE IF NOT EXISTS ${t.history} (id bigserial PRIMARY KEY, key text NOT NULL, version integer NOT NULL, action text NOT NULL, actor text, at timestamptz NOT NULL, before jsonb, after jsonb, diff jsonb NOT NULL)`,
        `CREATE INDEX IF NOT EXISTS ${historyKey} ON ${t.history} (key, id DESC)`,
        `CREATE TABLE IF NOT EXISTS ${t.evals} (flag text NOT NULL, variant text NOT NULL, tenant text NOT NULL, count bigint NOT NULL, last_evaluated timestamptz NOT NULL, PRIMARY KEY (flag, variant, tenant))`,
      ],
    },
  ];
}

type Row = {
  state: FlagState;
};

/** The flag store in PostgreSQL (or PGlite), with history, analytics and live updates. */
export interface PostgresFlagStore extends FlagStore {
  /** Creates the schema and tables when missing (idempotent). */
  migrate(): Promise<void>;
  /** `SELECT 1`; rejects with a StoreUnavailableError when PostgreSQL has not answered within 2 s. */
  ping(): Promise<void>;
}

/**
 * Flags in your own PostgreSQL: one row per flag with a version for optimistic
 * concurrency, history rows with before/after diffs, evaluation counters, and change
 * notifications over LISTEN/NOTIFY with polling as the fallback.
 *
 * @example
 * const store = postgresStore({ client: new pg.Pool({ connectionString }) });
 * await store.migrate();
 * const flags = createFlags({ definitions, store });
 */
export function postgresStore(options: PostgresStoreOptions): PostgresFlagStore {
  const schema = options.schema ?? 'public';
  const prefix = options.table ?? 'platform_flags';
  const quotedSchema = sqlIdentifier(schema, 'postgresStore schema');
  sqlIdentifier(prefix, 'postgresStore table', MAX_PREFIX);
  const db = options.client;
  const storeName = `postgres ${schema}.${prefix}`;
  const logger = options.logger === false ? undefined : (options.logger ?? stderrFlagsLogger);
  const unwatch = watchPoolErrors(db, (err) =>
    logger?.warn({ store: storeName, error: err.message }, 'flags PostgreSQL connection lost'),
  );
  const t = (name: string) => `${quotedSchema}.${sqlIdentifier(`${prefix}${name}`, 'table')}`;
  const flags = t('');
  const segments = t('_segments');
  const history = t('_history');
  const evals = t('_evaluations');
  const channel = `${prefix}_${schema}`.toLowerCase().slice(0, 60);

  const parseState = (raw: unknown): FlagState =>
    flagStateSchema.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

  const recordHistory = async (record: ChangeRecord) => {
    await db.query(
      `WITH h AS (INSERT INTO ${history} (key, version, action, actor, at, before, after, diff) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)
       SELECT pg_notify($9, $1) FROM h`,
      [
        record.key,
        record.version,
        record.action,
        record.actor ?? null,
        record.at,
        JSON.stringify(record.before),
        JSON.stringify(record.after),
        JSON.stringify(record.diff),
        channel,
      ],
    );
  };

  const fingerprint = async () => {
    const { rows } = await db.query<{ f: string }>(
      `SELECT (SELECT coalesce(max(id), 0) FROM ${history})::text || ':' ||
              (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM ${segments}) AS f`,
    );
    return rows[0]?.f ?? '';
  };

  const listeners = new Set<() => void>();
  let stopFeed: (() => void) | undefined;
  const startFeed = () => {
    stopFeed ??= changeFeed({
      source: options.notifications === false ? undefined : (options.notifications ?? db),
      channel,
      fingerprint,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      onChange: () => {
        for (const l of listeners) l();
      },
    });
  };

  const current = async (key: string): Promise<FlagState | undefined> => {
    const { rows } = await db.query<Row>(`SELECT state FROM ${flags} WHERE key = $1`, [key]);
    return rows[0] ? parseState(rows[0].state) : undefined;
  };

  return {
    name: storeName,
    ping: sqlPing(db, pingGuard(`Flag store (${storeName})`)),
    async migrate() {
      await migrateSchema(db, {
        component: `flags:${prefix}`,
        schema,
        migrations: flagMigrations(prefix, { flags, segments, history, evals }),
      });
    },
    async load() {
      const [f, s] = await Promise.all([
        db.query<Row & { key: string }>(`SELECT key, state FROM ${flags} ORDER BY key`),
        db.query<{ key: string; state: unknown }>(
          `SELECT key, state FROM ${segments} ORDER BY key`,
        ),
      ]);
      // A malformed row is reported for its own key; every other flag still loads.
      const snapshot: StoreSnapshot = { flags: [], segments: [], invalid: [] };
      for (const r of f.rows) {
        const parsed = safeJson(r.state, flagStateSchema);
        if (parsed.success) snapshot.flags.push(parsed.data);
        else snapshot.invalid!.push({ key: r.key, message: parsed.message(r.key) });
      }
      for (const r of s.rows) {
        const parsed = safeJson(r.state, segmentSchema);
        if (parsed.success) snapshot.segments.push(parsed.data);
        else snapshot.invalid!.push({ key: `segment:${r.key}`, message: parsed.message(r.key) });
      }
      return snapshot;
    },
    async put(input, o = {}) {
      const flag = flagStateSchema.parse(input);
      for (;;) {
        const prev = await current(flag.key);
        const actual = prev?.version ?? 0;
        if (o.expectedVersion !== undefined && o.expectedVersion !== actual) {
          throw new VersionConflictError(flag.key, o.expectedVersion, actual);
        }
        const next = stamp(flag, prev, o.actor);
        // The version guard lives in the statement itself, so concurrent writers cannot both win.
        const { rows } = prev
          ? await db.query(
              `UPDATE ${flags} SET state = $2, version = $3, updated_at = now() WHERE key = $1 AND version = $4 RETURNING key`,
              [flag.key, JSON.stringify(next), next.version, actual],
            )
          : await db.query(
              `INSERT INTO ${flags} (key, version, state) VALUES ($1, $3, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
              [flag.key, JSON.stringify(next), next.version],
            );
        if (rows.length === 0) {
          if (o.expectedVersion !== undefined) {
            throw new VersionConflictError(
              flag.key,
              o.expectedVersion,
              (await current(flag.key))?.version ?? 0,
            );
          }
          continue;
        }
        await recordHistory({
          key: flag.key,
          version: next.version,
          action: prev ? 'update' : 'create',
          ...(o.actor !== undefined ? { actor: o.actor } : {}),
          at: next.updatedAt!,
          before: prev ?? null,
          after: next,
          diff: diffFlags(prev ?? {}, next),
        });
        return next;
      }
    },
    async remove(key, o = {}) {
      const prev = await current(key);
      if (!prev) return false;
      if (o.expectedVersion !== undefined && o.expectedVersion !== prev.version) {
        throw new VersionConflictError(key, o.expectedVersion, prev.version);
      }
      const { rows } = await db.query(
        `DELETE FROM ${flags} WHERE key = $1 AND version = $2 RETURNING key`,
        [key, prev.version],
      );
      if (rows.length === 0) {
        const now = (await current(key))?.version ?? 0;
        if (o.expectedVersion !== undefined)
          throw new VersionConflictError(key, o.expectedVersion, now);
        return this.remove!(key, o);
      }
      await recordHistory({
        key,
        version: prev.version,
        action: 'delete',
        ...(o.actor !== undefined ? { actor: o.actor } : {}),
        at: new Date().toISOString(),
        before: prev,
        after: null,
        diff: diffFlags(prev, {}),
      });
      return true;
    },
    async putSegment(segment) {
      const s = segmentSchema.parse(segment);
      await db.query(
        `WITH u AS (INSERT INTO ${segments} (key, state) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = now() RETURNING key)
         SELECT pg_notify($3, key) FROM u`,
        [s.key, JSON.stringify(s), channel],
      );
      return s;
    },
    async removeSegment(key) {
      const { rows } = await db.query(
        `WITH d AS (DELETE FROM ${segments} WHERE key = $1 RETURNING key) SELECT pg_notify($2, key) FROM d`,
        [key, channel],
      );
      return rows.length > 0;
    },
    async history(key, o = {}) {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT key, version, action, actor, at, before, after, diff FROM ${history} WHERE key = $1 ORDER BY id DESC LIMIT $2`,
        [key, o.limit ?? 100],
      );
      return rows.map((r) => {
        const rec: ChangeRecord = {
          key: r.key as string,
          version: Number(r.version),
          action: r.action as ChangeRecord['action'],
          at: new Date(r.at as string).toISOString(),
          before: json(r.before) as FlagState | null,
          after: json(r.after) as FlagState | null,
          diff: json(r.diff) as ChangeRecord['diff'],
        };
        if (r.actor !== null && r.actor !== undefined) rec.actor = r.actor as string;
        return rec;
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      startFeed();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stopFeed?.();
          stopFeed = undefined;
        }
      };
    },
    async recordEvaluations(counts) {
      if (counts.length === 0) return;
      await db.query(
        `INSERT INTO ${evals} (flag, variant, tenant, count, last_evaluated)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(flag text, variant text, tenant text, count bigint, "lastEvaluated" timestamptz)
         ON CONFLICT (flag, variant, tenant) DO UPDATE SET count = ${evals}.count + excluded.count,
           last_evaluated = greatest(${evals}.last_evaluated, excluded.last_evaluated)`,
        [JSON.stringify(counts)],
      );
    },
    async evaluations() {
      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT flag, variant, tenant, count, last_evaluated FROM ${evals} ORDER BY flag, variant, tenant`,
      );
      return rows.map((r) => ({
        flag: r.flag as string,
        variant: r.variant as string,
        tenant: r.tenant as string,
        count: Number(r.count),
        lastEvaluated: new Date(r.last_evaluated as string).toISOString(),
      }));
    },
    async close() {
      listeners.clear();
      stopFeed?.();
      stopFeed = undefined;
      unwatch();
    },
  };
}
