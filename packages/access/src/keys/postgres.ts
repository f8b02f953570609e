import { parseOptions } from '@platform/core';
import {
  type BreakerState,
  createGuard,
  type GuardOptionsInput,
  guardOptionsSchema,
  migrate,
  type SqlClient,
  sqlIdentifier,
  watchPoolErrors,
} from '@platform/core/stores';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageSize } from './cursor.js';
import { insertParams, keysSchemaV1, recordOf, statements } from './postgres-sql.js';
import type { ApiKeyRecord, ApiKeyStore } from './store.js';

const schema = guardOptionsSchema({ timeoutMs: 500, maxTimeoutMs: 2000 }).extend({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | null)?.query === 'function',
    'must be a pg Pool or Client, or PGlite (anything with query(text, params))',
  ),
  schema: z.string().default('public'),
  migrate: z.boolean().default(true),
});

export interface PostgresKeyStoreOptions extends GuardOptionsInput {
  /** A `pg` Pool (or Client), or PGlite. */
  client: SqlClient;
  /** Schema of the `platform_api_keys` table (created when missing). Default `public`. */
  schema?: string;
  /** Create or upgrade the table on first use. Default true. */
  migrate?: boolean;
  /** Longest a statement may take before it fails as unavailable. Default 500. */
  timeoutMs?: number;
}

export interface PostgresKeyStore extends ApiKeyStore {
  /** Creates or upgrades the table; resolves once it is there. */
  migrate(): Promise<void>;
  health(): { breaker: BreakerState; timeoutMs: number };
  /** Removes the pool listener; the host's pool stays open. */
  shutdown(): void;
}

type Row = Record<string, unknown>;
const rows = (r: { rows: Row[] }) => r.rows;
const first = (r: { rows: Row[] }) => (r.rows[0] ? recordOf(r.rows[0]) : undefined);
const nothing = () => undefined;

/**
 * API keys in PostgreSQL (`pg` or PGlite) through core's store kit: a migrated
 * `platform_api_keys` table, one statement per operation (rotation and usage counts are
 * atomic updates), every call under a deadline and a circuit breaker.
 *
 * @example
 * const keys = apiKeys({ store: postgresKeyStore({ client: new pg.Pool(), schema: 'auth' }) });
 */
export function postgresKeyStore(options: PostgresKeyStoreOptions): PostgresKeyStore {
  const o = parseOptions(schema, options, 'postgresKeyStore');
  const s = sqlIdentifier(o.schema, 'postgresKeyStore schema');
  const sql = statements(s);
  const db = o.client;
  const guard = createGuard(
    { timeoutMs: o.timeoutMs, maxTimeoutMs: o.maxTimeoutMs },
    o.breaker,
    'PostgreSQL API key store',
  );
  const unwatch = watchPoolErrors(db, nothing);
  let ready: Promise<void> | undefined;
  const upgrade = (): Promise<void> => {
    ready ??= migrate(db, {
      component: 'access-keys',
      schema: o.schema,
      migrations: [{ version: 1, up: keysSchemaV1(s) }],
    }).then(nothing, (err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  let migrated = !o.migrate;
  const query = (q: { text: string; params: unknown[] }) => db.query(q.text, q.params);
  // no extra promise per statement once migrated: a key lookup is on every request's path
  const run = <T>(text: string, params: unknown[], map: (r: { rows: Row[] }) => T): Promise<T> => {
    const guarded = () => guard.run(query, { text, params }, (r) => map(r));
    if (migrated) return guarded();
    return upgrade().then(() => {
      migrated = true;
      return guarded();
    });
  };

  return {
    name: 'postgres',
    migrate: upgrade,
    insert: (r) => run(sql.insert, insertParams(r), nothing),
    get: (id) => run(sql.get, [id], first),
    async list(query) {
      const limit = pageSize(query.limit);
      const c = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const found = await run(
        sql.list,
        [
          query.tenantId ?? null,
          query.includeRevoked === true,
          c?.createdAt ?? null,
          c?.id ?? null,
          limit + 1,
        ],
        rows,
      );
      const keys = found.slice(0, limit).map(recordOf);
      const last = keys[keys.length - 1] as ApiKeyRecord | undefined;
      return found.length > limit && last ? { keys, nextCursor: encodeCursor(last) } : { keys };
    },
    rotate: (id, r) => run(sql.rotate, [id, r.secretHash, r.previousExpiresAt, r.at], first),
    revoke: (id, at) => run(sql.revoke, [id, at], first),
    async addUsage(usage) {
      if (usage.length === 0) return;
      const params = [
        usage.map((u) => u.id),
        usage.map((u) => u.uses),
        usage.map((u) => u.lastUsedAt),
      ];
      await run(sql.addUsage, params, nothing);
    },
    health: () => ({ breaker: guard.state(), timeoutMs: guard.timeoutMs() }),
    shutdown: unwatch,
  };
}

export type { BreakerState } from '@platform/core/stores';
