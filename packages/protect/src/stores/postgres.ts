import { parseOptions } from '@platform/core';
import {
  createGuard,
  type GuardOptionsInput,
  guardOptionsSchema,
  migrate as migrateSchema,
  type SqlClient,
  sqlIdentifier,
  sqlPing,
  watchPoolErrors,
} from '@platform/core/stores';
import { z } from 'zod';
import type { DataKeyRecord, DataKeyStore, KeyPurpose, KeyScope, NewDataKey } from '../store.js';

export interface PostgresKeyStoreOptions extends GuardOptionsInput {
  /** A `pg` Pool or Client, or a PGlite instance. */
  client: SqlClient;
  /** Schema holding the table. Default `public`. */
  schema?: string;
  /** Table name. Default `platform_data_keys`. */
  table?: string;
  /** Where an idle connection's failure is reported (default: a JSON line on stderr). */
  onError?: (error: unknown) => void;
  // GuardOptionsInput: every call has a deadline (`timeoutMs`, default 2,000 ms, growing up to
  // `maxTimeoutMs`, 10,000, while PostgreSQL answers slowly) and a circuit `breaker`; a call
  // that misses it rejects with core's StoreUnavailableError instead of hanging.
}

const optionsSchema = guardOptionsSchema({ timeoutMs: 2_000, maxTimeoutMs: 10_000 }).extend({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | undefined)?.query === 'function',
    'must be a pg Pool/Client or PGlite',
  ),
  schema: z.string().default('public'),
  table: z.string().default('platform_data_keys'),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function').optional(),
});

export interface PostgresKeyStore extends DataKeyStore {
  /** Creates the schema and table (through the store kit's versioned migrations). Idempotent. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** Stops listening to the client's `error` events; the host's pool stays open. */
  close(): Promise<void>;
}

interface Row {
  key_id: string;
  version: number;
  tenant_id: string;
  subject_id: string;
  purpose: KeyPurpose;
  kek_id: string | null;
  wrapped: string | null;
  created_at: Date | string;
  destroyed_at: Date | string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function toRecord(r: Row): DataKeyRecord {
  return {
    keyId: r.key_id,
    version: Number(r.version),
    tenantId: r.tenant_id,
    ...(r.subject_id !== '' && { subjectId: r.subject_id }),
    purpose: r.purpose,
    ...(r.kek_id !== null && { kekId: r.kek_id }),
    ...(r.wrapped !== null && { wrapped: r.wrapped }),
    createdAt: iso(r.created_at),
    ...(r.destroyed_at !== null && { destroyedAt: iso(r.destroyed_at) }),
  };
}

const warn = (error: unknown) =>
  process.stderr.write(
    `${JSON.stringify({ level: 'warn', msg: 'protect', where: 'key-store-connection', error: error instanceof Error ? error.message : String(error) })}\n`,
  );

/**
 * Wrapped data keys in PostgreSQL: one row per key version, `(tenant, purpose, subject,
 * version)` unique, so concurrent writers agree on one key per scope. Erasure is one
 * `UPDATE` that nulls the wrapped key of every version of the subject: constant work,
 * whatever the number of values sealed with it. Works with `pg` and PGlite.
 *
 * @example
 * const store = postgresKeyStore({ client: pool });
 * await store.migrate();
 */
export function postgresKeyStore(options: PostgresKeyStoreOptions): PostgresKeyStore {
  const o = parseOptions(optionsSchema, options, 'postgresKeyStore');
  const { client, schema: schemaName, table } = o;
  const s = sqlIdentifier(schemaName, 'postgresKeyStore schema');
  const t = `${s}.${sqlIdentifier(table, 'postgresKeyStore table', 50)}`;
  const unique = sqlIdentifier(`${table}_scope`, 'index');
  const unwatch = watchPoolErrors(client, o.onError ?? warn);
  const guard = createGuard(
    { timeoutMs: o.timeoutMs, maxTimeoutMs: o.maxTimeoutMs },
    o.breaker,
    'Data key store',
  );
  const ping = sqlPing(client, guard);
  const scopeArgs = (k: KeyScope) => [k.tenantId, k.purpose, k.subjectId ?? ''];
  const run = (c: { sql: string; params: unknown[] }) =>
    client.query<Row & Record<string, unknown>>(c.sql, c.params);
  /** Every statement under the deadline and breaker: a dead database is an error, never a hang. */
  const query = (sql: string, params: unknown[]) => guard.run(run, { sql, params }, (r) => r.rows);
  const one = async (sql: string, params: unknown[]) => (await query(sql, params)).map(toRecord)[0];

  return {
    async migrate() {
      await migrateSchema(client, {
        component: `protect:${table}`,
        schema: schemaName,
        migrations: [
          {
            version: 1,
            up: [
              `CREATE TABLE IF NOT EXISTS ${t} (
                key_id text NOT NULL,
                version integer NOT NULL,
                tenant_id text NOT NULL,
                purpose text NOT NULL,
                subject_id text NOT NULL DEFAULT '',
                kek_id text,
                wrapped text,
                created_at timestamptz NOT NULL DEFAULT now(),
                destroyed_at timestamptz,
                PRIMARY KEY (key_id, version)
              )`,
              `CREATE UNIQUE INDEX IF NOT EXISTS ${unique} ON ${t} (tenant_id, purpose, subject_id, version)`,
            ],
          },
        ],
      });
    },
    async create(key: NewDataKey) {
      // inserted only when the scope has neither this version nor a tombstone; the stored row either way
      const inserted = await one(
        `INSERT INTO ${t} (key_id, version, tenant_id, purpose, subject_id, kek_id, wrapped)
         SELECT $4, $5, $1, $2, $3, $6, $7
         WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE tenant_id = $1 AND purpose = $2 AND subject_id = $3 AND destroyed_at IS NOT NULL)
         ON CONFLICT DO NOTHING RETURNING *`,
        [...scopeArgs(key), key.keyId, key.version, key.kekId, key.wrapped],
      );
      if (inserted) return inserted;
      const stored = await one(
        `SELECT * FROM ${t} WHERE tenant_id = $1 AND purpose = $2 AND subject_id = $3 AND (version = $4 OR destroyed_at IS NOT NULL) ORDER BY (destroyed_at IS NULL), version DESC LIMIT 1`,
        [...scopeArgs(key), key.version],
      );
      if (!stored)
        throw new Error(`data key ${key.keyId} v${key.version} was neither stored nor found`);
      return stored;
    },
    latest: (scope) =>
      one(
        `SELECT * FROM ${t} WHERE tenant_id = $1 AND purpose = $2 AND subject_id = $3 ORDER BY version DESC LIMIT 1`,
        scopeArgs(scope),
      ),
    get: (keyId, version) =>
      one(`SELECT * FROM ${t} WHERE key_id = $1 AND version = $2`, [keyId, version]),
    async list(q) {
      const rows = await query(
        `SELECT * FROM ${t} WHERE wrapped IS NOT NULL
           AND ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR kek_id <> $2)
           AND ($3::text IS NULL OR (key_id, version) > ($3, $4::integer))
         ORDER BY key_id, version LIMIT $5`,
        [
          q.tenantId ?? null,
          q.kekIdNot ?? null,
          q.after?.keyId ?? null,
          q.after?.version ?? 0,
          q.limit,
        ],
      );
      return rows.map(toRecord);
    },
    async rewrap(ref, fromKekId, next) {
      const rows = await query(
        `UPDATE ${t} SET kek_id = $4, wrapped = $5 WHERE key_id = $1 AND version = $2 AND kek_id = $3 AND wrapped IS NOT NULL RETURNING 1`,
        [ref.keyId, ref.version, fromKekId, next.kekId, next.wrapped],
      );
      return rows.length === 1;
    },
    async destroy(scope) {
      const rows = await query(
        `UPDATE ${t} SET wrapped = NULL, kek_id = NULL, destroyed_at = now()
         WHERE tenant_id = $1 AND purpose = $2 AND subject_id = $3 AND destroyed_at IS NULL RETURNING 1`,
        scopeArgs(scope),
      );
      return rows.length;
    },
    ping,
    async close() {
      unwatch();
    },
  };
}
