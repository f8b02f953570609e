import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@platform/core';
import { rateLimiter } from '@platform/ratelimit';
import { postgresStore } from '@platform/ratelimit/postgres';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { MicroCase } from '../../micro.js';
import { expectAllowed, HUGE, nextKey } from './cases.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Pool = SqlClient & { end(): Promise<void> };
// bench has no @types/pg: load it untyped and describe the two members used
const newPool = async (): Promise<Pool> => {
  const pg = (await import('pg' as string)) as { default: { Pool: new (o: object) => Pool } };
  return new pg.default.Pool({ connectionString: DATABASE_URL, max: 4 });
};

/** Each case owns a pool and a schema of its own; teardown drops the schema and ends the pool. */
function owned(label: string) {
  let pool: Pool | undefined;
  const schema = `bench_rl_${label}_${randomUUID().slice(0, 8)}`;
  return {
    schema,
    async open() {
      pool ??= await newPool();
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return pool;
    },
    async close() {
      if (!pool) return;
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      pool = undefined;
    },
  };
}

/** Ours on PostgreSQL, `policies` checked in one statement. */
function ours(
  name: string,
  group: string,
  label: string,
  policies: Parameters<typeof rateLimiter>[0]['policies'],
): MicroCase {
  const db = owned(label);
  let store: ReturnType<typeof postgresStore> | undefined;
  return {
    name,
    group,
    setup: async () => {
      store = postgresStore({ client: await db.open(), schema: db.schema, timeoutMs: 1000 });
      await store.migrate();
      const limiter = rateLimiter({ name: 'bench', policies, store, log: false });
      const key = nextKey();
      return () => limiter.check(key());
    },
    verify: async (op) => {
      const r = (await op()) as { allowed: boolean; degraded?: boolean };
      expectAllowed(r.allowed && !r.degraded, 'ours postgres');
    },
    teardown: async () => {
      store?.shutdown();
      await db.close();
    },
  };
}

/**
 * PostgreSQL on 10k keys: ours checks TWO sliding policies (per minute and per day) in one
 * statement, and one fixed policy like the peer; rate-limiter-flexible RateLimiterPostgres
 * one fixed-window policy (one upsert on a regular table; ours writes an UNLOGGED one).
 */
export function postgresCases(group: string): MicroCase[] {
  const rlf = owned('rlf');
  return [
    {
      name: 'rate-limiter-flexible RateLimiterPostgres (1 policy)',
      group,
      baseline: true,
      setup: async () => {
        const storeClient = await rlf.open();
        const limiter = await new Promise<RateLimiterPostgres>((resolve, reject) => {
          const made: RateLimiterPostgres = new RateLimiterPostgres(
            {
              storeClient,
              schemaName: rlf.schema,
              tableName: 'rlf',
              points: HUGE,
              duration: 60,
              clearExpiredByTimeout: false,
            },
            (err?: unknown) => (err ? reject(err) : resolve(made)),
          );
        });
        const key = nextKey();
        return () => limiter.consume(key());
      },
      verify: async (op) => {
        const r = (await op()) as { remainingPoints: number };
        expectAllowed(r.remainingPoints === HUGE - 1, 'rlf postgres');
      },
      teardown: () => rlf.close(),
    },
    ours('@platform/ratelimit postgresStore (2 policies, 1 statement)', group, 'ours2', [
      { name: 'per-minute', limit: HUGE, window: '1m' },
      { name: 'per-day', limit: 50_000_000, window: '1d' },
    ]),
    ours('@platform/ratelimit postgresStore (1 fixed policy, like the peer)', group, 'ours1', {
      name: 'per-minute',
      limit: HUGE,
      window: '1m',
      algorithm: 'fixed',
    }),
  ];
}
