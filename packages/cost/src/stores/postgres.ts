import { parseOptions } from '@platform/core';
import {
  type Migration,
  migrate as migrateSchema,
  pingGuard,
  type SqlClient,
  sqlIdentifier,
  sqlPing,
  watchPoolErrors,
} from '@platform/core/stores';
import { z } from 'zod';
import { type CostLogger, consoleLogger } from '../alerts.js';
import type { LedgerStore, RecordQuery, RollupQuery, RollupRow, UsageRecord } from '../store.js';

export interface PostgresLedgerOptions {
  /** A `pg` Pool/Client or a PGlite instance. */
  client: SqlClient;
  /** Schema of the tables (created when missing). Default `public`. */
  schema?: string;
  /** Create the schema and tables on first use. Default true. */
  migrate?: boolean;
  /**
   * Where a lost pool connection is reported, once per outage (default: a JSON line). The
   * ledger listens for the pool's `error` events, so a connection PostgreSQL or the network
   * drops never takes the process down; `false` listens without logging.
   */
  logger?: CostLogger | false;
}

const schema = z.object({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | null)?.query === 'function',
    'must have query(text, params)',
  ),
  schema: z.string().default('public'),
  migrate: z.boolean().default(true),
  logger: z
    .union([z.literal(false), z.custom<CostLogger>((v) => typeof v === 'object')])
    .optional(),
});

export interface PostgresLedger extends LedgerStore {
  /** Creates the schema, the usage ledger and the daily rollup table if missing. */
  migrate(): Promise<void>;
  /** `SELECT 1`; rejects with a StoreUnavailableError when PostgreSQL has not answered within 2 s. */
  ping(): Promise<void>;
}

const COLUMNS = [
  ['input_tokens', 'inputTokens'],
  ['cache_read_tokens', 'cacheReadTokens'],
  ['cache_write_tokens', 'cacheWriteTokens'],
  ['output_tokens', 'outputTokens'],
  ['reasoning_tokens', 'reasoningTokens'],
] as const;

/**
 * The ledger's migrations. Version 1 is what every release before the store kit created,
 * hence `IF NOT EXISTS`, so their databases migrate in place.
 */
function ledgerMigrations(usage: string, daily: string): Migration[] {
  const tokens = COLUMNS.map(([c]) => `${c} bigint NOT NULL`).join(', ');
  return [
    {
      version: 1,
      up: [
        `CREATE TABLE IF NOT EXISTS ${usage} (
          id text PRIMARY KEY, at_ms bigint NOT NULL, day date NOT NULL, tenant text NOT NULL,
          user_id text, api_key text, provider text NOT NULL, model text NOT NULL, ${tokens},
          total_tokens bigint NOT NULL, cost_nano_usd bigint NOT NULL, price_version text NOT NULL,
          estimated boolean NOT NULL, outcome text NOT NULL, request_id text, trace_id text, duration_ms integer)`,
        `CREATE INDEX IF NOT EXISTS cost_usage_tenant_at ON ${usage} (tenant, at_ms DESC)`,
        `CREATE INDEX IF NOT EXISTS cost_usage_request ON ${usage} (request_id)`,
        `CREATE TABLE IF NOT EXISTS ${daily} (
          day date NOT NULL, tenant text NOT NULL, user_id text NOT NULL, model text NOT NULL, calls bigint NOT NULL,
          ${tokens}, cost_nano_usd bigint NOT NULL, PRIMARY KEY (day, tenant, user_id, model))`,
      ],
    },
  ];
}

/**
 * The usage ledger and its daily rollups in PostgreSQL (`pg`) or PGlite. One statement per
 * batch inserts the records (idempotent by id) and adds exactly the new ones to the rollups.
 *
 * @example
 * const ledger = postgresLedger({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * const control = costControl({ store: redisBudgetStore({ client: redis }), ledger });
 */
export function postgresLedger(options: PostgresLedgerOptions): PostgresLedger {
  const opts = parseOptions(schema, options, 'postgresLedger');
  const s = sqlIdentifier(opts.schema, 'postgresLedger schema');
  const db = opts.client;
  const logger = opts.logger === false ? undefined : (opts.logger ?? consoleLogger);
  const unwatch = watchPoolErrors(db, (err) =>
    logger?.warn(
      { schema: opts.schema, err: err.message },
      'cost ledger PostgreSQL connection lost',
    ),
  );
  const usage = `${s}.cost_usage`;
  const daily = `${s}.cost_daily`;
  let ready: Promise<void> | undefined;

  const migrate = async () => {
    await migrateSchema(db, {
      component: 'cost',
      schema: opts.schema,
      migrations: ledgerMigrations(usage, daily),
    });
  };
  const init = () => {
    if (!opts.migrate) return Promise.resolve();
    ready ??= migrate().catch((err) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };

  const tokenCols = COLUMNS.map(([c]) => c);
  return {
    migrate,
    ping: sqlPing(db, pingGuard('PostgreSQL cost ledger')),
    async close() {
      unwatch();
    },
    async record(records) {
      if (records.length === 0) return;
      await init();
      const rows = records.map((r) => ({
        id: r.id,
        at_ms: r.at,
        day: r.day,
        tenant: r.tenant,
        user_id: r.user ?? null,
        api_key: r.apiKey ?? null,
        provider: r.provider,
        model: r.model,
        ...Object.fromEntries(COLUMNS.map(([c, k]) => [c, r.usage[k]])),
        total_tokens: r.totalTokens,
        cost_nano_usd: r.costNanoUsd.toString(),
        price_version: r.priceVersion,
        estimated: r.estimated,
        outcome: r.outcome,
        request_id: r.requestId ?? null,
        trace_id: r.traceId ?? null,
        duration_ms: r.durationMs === undefined ? null : Math.round(r.durationMs),
      }));
      const cols = [
        'id',
        'at_ms',
        'day',
        'tenant',
        'user_id',
        'api_key',
        'provider',
        'model',
        ...tokenCols,
        'total_tokens',
        'cost_nano_usd',
        'price_version',
        'estimated',
        'outcome',
        'request_id',
        'trace_id',
        'duration_ms',
      ];
      const types: Record<string, string> = {
        at_ms: 'bigint',
        day: 'date',
        total_tokens: 'bigint',
        cost_nano_usd: 'text',
        estimated: 'boolean',
        duration_ms: 'integer',
      };
      for (const c of tokenCols) types[c] = 'bigint';
      const defs = cols.map((c) => `${c} ${types[c] ?? 'text'}`).join(', ');
      const select = cols
        .map((c) => (c === 'cost_nano_usd' ? 'cost_nano_usd::bigint' : c))
        .join(', ');
      const sums = tokenCols.map((c) => `sum(${c})::bigint`).join(', ');
      await db.query(
        `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${defs})),
        ins AS (INSERT INTO ${usage} (${cols.join(', ')}) SELECT ${select} FROM input
          ON CONFLICT (id) DO NOTHING RETURNING day, tenant, user_id, model, ${tokenCols.join(', ')}, cost_nano_usd)
        INSERT INTO ${daily} (day, tenant, user_id, model, calls, ${tokenCols.join(', ')}, cost_nano_usd)
        SELECT day, tenant, coalesce(user_id, ''), model, count(*), ${sums}, sum(cost_nano_usd)::bigint
        FROM ins GROUP BY day, tenant, coalesce(user_id, ''), model
        ON CONFLICT (day, tenant, user_id, model) DO UPDATE SET calls = ${daily}.calls + excluded.calls,
        ${tokenCols.map((c) => `${c} = ${daily}.${c} + excluded.${c}`).join(', ')},
        cost_nano_usd = ${daily}.cost_nano_usd + excluded.cost_nano_usd`,
        [JSON.stringify(rows)],
      );
    },

    async records(q: RecordQuery) {
      await init();
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.tenant !== undefined) add('tenant = ?', q.tenant);
      if (q.requestId !== undefined) add('request_id = ?', q.requestId);
      if (q.from !== undefined) add('at_ms >= ?', q.from);
      if (q.to !== undefined) add('at_ms < ?', q.to);
      params.push(Math.min(q.limit ?? 100, 10_000));
      const { rows } = await db.query(
        `SELECT *, day::text AS day_text FROM ${usage} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at_ms DESC, id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toRecord);
    },

    async rollups(q: RollupQuery) {
      await init();
      const params: unknown[] = [q.fromDay, q.toDay];
      if (q.tenant !== undefined) params.push(q.tenant);
      const { rows } = await db.query(
        `SELECT day::text AS day, tenant, user_id, model, calls, ${tokenCols.join(', ')}, cost_nano_usd FROM ${daily}
         WHERE day >= $1::date AND day <= $2::date ${q.tenant === undefined ? '' : 'AND tenant = $3'}
         ORDER BY day, tenant COLLATE "C", user_id COLLATE "C", model COLLATE "C"`,
        params,
      );
      return rows.map(
        (r): RollupRow => ({
          day: String(r.day),
          tenant: String(r.tenant),
          user: String(r.user_id),
          model: String(r.model),
          calls: Number(r.calls),
          ...(Object.fromEntries(COLUMNS.map(([c, k]) => [k, Number(r[c])])) as Record<
            (typeof COLUMNS)[number][1],
            number
          >),
          costNanoUsd: BigInt(String(r.cost_nano_usd)),
        }),
      );
    },
  };
}

function toRecord(r: Record<string, unknown>): UsageRecord {
  const opt = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  const rec: UsageRecord = {
    id: String(r.id),
    at: Number(r.at_ms),
    day: String(r.day_text),
    tenant: String(r.tenant),
    provider: String(r.provider),
    model: String(r.model),
    usage: Object.fromEntries(
      COLUMNS.map(([c, k]) => [k, Number(r[c])]),
    ) as unknown as UsageRecord['usage'],
    totalTokens: Number(r.total_tokens),
    costNanoUsd: BigInt(String(r.cost_nano_usd)),
    priceVersion: String(r.price_version),
    estimated: Boolean(r.estimated),
    outcome: String(r.outcome) as UsageRecord['outcome'],
  };
  const user = opt(r.user_id);
  const apiKey = opt(r.api_key);
  const requestId = opt(r.request_id);
  const traceId = opt(r.trace_id);
  if (user !== undefined) rec.user = user;
  if (apiKey !== undefined) rec.apiKey = apiKey;
  if (requestId !== undefined) rec.requestId = requestId;
  if (traceId !== undefined) rec.traceId = traceId;
  if (r.duration_ms !== null && r.duration_ms !== undefined) rec.durationMs = Number(r.duration_ms);
  return rec;
}
