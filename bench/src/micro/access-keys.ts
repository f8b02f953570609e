import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { type ApiKeys, apiKeyCheck, apiKeys, memoryKeyStore } from '@platform/access';
import { postgresKeyStore } from '@platform/access/postgres';
import type { RequestContext, SqlClient } from '@platform/core';
import { defineMicroSuite } from '../micro.js';

// One API-key lookup per request: ours (parse, one SHA-256, a store read, two constant-time
// compares, activity counted in memory) against the floor of a hand-rolled Map / SELECT
// lookup doing one SHA-256 and one compare. The refused case shows that a wrong secret
// costs what a right one does.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_keys_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
type Pool = SqlClient & { end(): Promise<void> };
let pool: Pool | undefined;
// as the audit suite does: bench has no @types/pg, and the pool is only used through SqlClient
const connect = async () => {
  const pg = (await import('pg' as string)) as { default: { Pool: new (o: object) => Pool } };
  pool ??= new pg.default.Pool({ connectionString: DATABASE_URL, max: 8 });
};
const db = () => pool as Pool;

const sha = (s: string) => createHash('sha256').update(s).digest();
const flip = (key: string) => key.slice(0, -1) + (key.at(-1) === 'A' ? 'B' : 'A');

/** Every key manager a case made: closed (activity flushed) before the schema goes. */
const managers: ApiKeys[] = [];

async function issued(store: Parameters<typeof apiKeys>[0]['store'], cacheMs = 0) {
  const keys = apiKeys({ store, shutdown: false, activityFlushMs: 1000, cacheMs });
  managers.push(keys);
  const { key } = await keys.create({ name: 'bench', tenantId: 'acme', scopes: ['a:read'] });
  return { keys, key };
}

const accepted = (keys: ApiKeys, key: string) => async () => {
  if (!(await keys.verify(key)).ok) throw new Error('refused');
};

/** Ours over PostgreSQL (deadline widened: the bench machine is shared and loaded). */
async function pgVerify(cacheMs: number) {
  await connect();
  const store = postgresKeyStore({ client: db(), schema, timeoutMs: 5000, maxTimeoutMs: 10_000 });
  const { keys, key } = await issued(store, cacheMs);
  return accepted(keys, key);
}

/** The floor: a Map of id -> hash, one SHA-256 and one timingSafeEqual per lookup. */
function floorMap() {
  const secret = randomUUID();
  const table = new Map([['0123456789abcdef', sha(secret)]]);
  return () => {
    const stored = table.get('0123456789abcdef');
    if (!stored || !timingSafeEqual(sha(secret), stored)) throw new Error('refused');
  };
}

export default defineMicroSuite({
  name: 'access-keys',
  description: 'one API key verified per request: ours vs a bare Map / SELECT + SHA-256 lookup',
  concurrency: 16,
  cases: [
    {
      name: 'floor: Map + sha256 + timingSafeEqual',
      group: 'memory',
      baseline: true,
      setup: floorMap,
    },
    {
      name: 'ours: verify (memory store)',
      group: 'memory',
      setup: async () => {
        const { keys, key } = await issued(memoryKeyStore());
        return accepted(keys, key);
      },
      verify: async (op) => {
        await op();
      },
    },
    {
      name: 'ours: verify, wrong secret (refused)',
      group: 'memory',
      setup: async () => {
        const { keys, key } = await issued(memoryKeyStore());
        const wrong = flip(key);
        return async () => {
          if ((await keys.verify(wrong)).ok) throw new Error('accepted a wrong key');
        };
      },
    },
    {
      name: 'ours: apiKeyCheck (header, verify, context)',
      group: 'memory',
      setup: async () => {
        const { keys, key } = await issued(memoryKeyStore());
        const check = apiKeyCheck({ keys });
        const request = {
          method: 'GET',
          path: '/api',
          header: (n: string) => (n === 'x-api-key' ? key : undefined),
        };
        return async () => {
          const ctx = {
            requestId: 'r',
            method: 'GET',
            path: '/api',
            startTime: 0,
          } as RequestContext;
          if ((await check(request, ctx)) !== undefined) throw new Error('refused');
        };
      },
    },
    {
      name: 'floor: SELECT by id + sha256 compare',
      group: 'postgres',
      baseline: true,
      setup: async () => {
        const secret = randomUUID();
        await connect();
        await db().query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await db().query(
          `CREATE TABLE IF NOT EXISTS "${schema}".floor (id text PRIMARY KEY, hash text NOT NULL)`,
        );
        await db().query(`INSERT INTO "${schema}".floor VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
          '0123456789abcdef',
          sha(secret).toString('hex'),
        ]);
        return async () => {
          const { rows } = await db().query(`SELECT hash FROM "${schema}".floor WHERE id = $1`, [
            '0123456789abcdef',
          ]);
          const stored = Buffer.from(String(rows[0]?.hash), 'hex');
          if (!timingSafeEqual(sha(secret), stored)) throw new Error('refused');
        };
      },
    },
    {
      name: 'ours: verify (postgresKeyStore, cacheMs 1000)',
      group: 'postgres',
      setup: () => pgVerify(1000),
    },
    {
      name: 'ours: verify (postgresKeyStore, pg Pool)',
      group: 'postgres',
      setup: () => pgVerify(0),
      verify: async (op) => {
        await op();
      },
      teardown: async () => {
        await Promise.all(managers.splice(0).map((keys) => keys.close()));
        await db().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool?.end();
        pool = undefined;
      },
    },
  ],
});
