import { parseOptions } from '@platform/core';
import {
  createGuard,
  type GuardOptionsInput,
  guardOptionsSchema,
  migrate,
  type SqlClient,
  sqlIdentifier,
} from '@platform/core/stores';
import { z } from 'zod';
import type { RotateResult, SessionRecord, SessionStore } from './store.js';

const schema = guardOptionsSchema({ timeoutMs: 500, maxTimeoutMs: 3000 }).extend({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | null)?.query === 'function',
    'must be a pg Pool or Client, or PGlite (anything with query(text, params))',
  ),
  schema: z.string().default('public'),
  table: z.string().default('platform_access_sessions'),
  migrate: z.boolean().default(true),
});

export interface PostgresSessionStoreOptions extends GuardOptionsInput {
  /** A `pg` Pool (or Client), or PGlite. */
  client: SqlClient;
  /** Schema of the table (created when missing). Default `public`. */
  schema?: string;
  /** Default `platform_access_sessions`. */
  table?: string;
  /** Create the table on first use. Default true. */
  migrate?: boolean;
}

type Row = {
  id: string;
  user_id: string;
  tenant_id: string | null;
  roles: string[];
  name: string | null;
  generation: number;
  created_ms: string;
  expires_ms: string;
};

function toRecord(r: Row): SessionRecord {
  const s: SessionRecord = {
    id: r.id,
    userId: r.user_id,
    roles: r.roles,
    generation: Number(r.generation),
    createdAt: Number(r.created_ms),
    expiresAt: Number(r.expires_ms),
  };
  if (r.tenant_id !== null) s.tenantId = r.tenant_id;
  if (r.name !== null) s.name = r.name;
  return s;
}

/**
 * Sessions in PostgreSQL (or PGlite): one row per session, every step one statement (the
 * reuse check is a conditional UPDATE, then a conditional DELETE), under the store kit's
 * deadline and breaker. The table is created on first use through core's `migrate`. Expired
 * rows are invisible at once; `sweep()` deletes them (call it from a periodic job).
 *
 * @example
 * const sessions = createSessions({ store: postgresSessionStore({ client: pool }), secret });
 */
export function postgresSessionStore(options: PostgresSessionStoreOptions): SessionStore {
  const o = parseOptions(schema, options, 'postgresSessionStore');
  const table = `${sqlIdentifier(o.schema, 'postgresSessionStore schema')}.${sqlIdentifier(o.table, 'postgresSessionStore table')}`;
  const guard = createGuard(
    { timeoutMs: o.timeoutMs, maxTimeoutMs: o.maxTimeoutMs },
    o.breaker,
    'PostgreSQL session store',
  );
  const columns = `id, user_id, tenant_id, roles, name, generation,
    (extract(epoch from created_at) * 1000)::bigint AS created_ms,
    (extract(epoch from expires_at) * 1000)::bigint AS expires_ms`;
  let ready: Promise<unknown> | undefined;
  const prepare = () => {
    if (!o.migrate) return Promise.resolve();
    ready ??= migrate(o.client, {
      component: `access.sessions.${o.table}`,
      schema: o.schema,
      migrations: [
        {
          version: 1,
          up: [
            `CREATE TABLE IF NOT EXISTS ${table} (
              id text PRIMARY KEY, user_id text NOT NULL, tenant_id text, roles jsonb NOT NULL,
              name text, generation integer NOT NULL, created_at timestamptz NOT NULL,
              expires_at timestamptz NOT NULL)`,
            `CREATE INDEX IF NOT EXISTS ${sqlIdentifier(`${o.table}_user`, 'index')} ON ${table} (user_id)`,
          ],
        },
      ],
    }).catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  const query = <R extends Record<string, unknown>>(text: string, params: unknown[]) =>
    guard.run(
      async () => {
        await prepare();
        return o.client.query<R>(text, params);
      },
      undefined,
      (result) => result.rows,
    );
  const ts = 'to_timestamp($1::double precision / 1000)';

  return {
    async create(s) {
      await query(
        `INSERT INTO ${table} (id, user_id, tenant_id, roles, name, generation, created_at, expires_at)
         VALUES ($2, $3, $4, $5, $6, $7, to_timestamp($8::double precision / 1000), ${ts})`,
        [
          s.expiresAt,
          s.id,
          s.userId,
          s.tenantId ?? null,
          JSON.stringify(s.roles),
          s.name ?? null,
          s.generation,
          s.createdAt,
        ],
      );
    },
    async get(id) {
      const rows = await query<Row>(
        `SELECT ${columns} FROM ${table} WHERE id = $1 AND expires_at > now()`,
        [id],
      );
      return rows[0] && toRecord(rows[0]);
    },
    async rotate(id, generation, expiresAt): Promise<RotateResult> {
      const rotated = await query<Row>(
        `UPDATE ${table} SET generation = generation + 1, expires_at = ${ts}
         WHERE id = $2 AND generation = $3 AND expires_at > now() RETURNING ${columns}`,
        [expiresAt, id, generation],
      );
      if (rotated[0]) return { outcome: 'rotated', session: toRecord(rotated[0]) };
      const reused = await query<{ user_id: string }>(
        `DELETE FROM ${table} WHERE id = $1 AND generation > $2 AND expires_at > now() RETURNING user_id`,
        [id, generation],
      );
      return reused[0] ? { outcome: 'reused', userId: reused[0].user_id } : { outcome: 'invalid' };
    },
    async revoke(id) {
      const rows = await query(
        `DELETE FROM ${table} WHERE id = $1 AND expires_at > now() RETURNING id`,
        [id],
      );
      return rows.length > 0;
    },
    async sweep() {
      return (await query(`DELETE FROM ${table} WHERE expires_at <= now() RETURNING id`, []))
        .length;
    },
    async revokeUser(userId) {
      const rows = await query<{ live: boolean }>(
        `DELETE FROM ${table} WHERE user_id = $1 RETURNING expires_at > now() AS live`,
        [userId],
      );
      return rows.filter((r) => r.live).length;
    },
  };
}
