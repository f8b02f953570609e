import { randomUUID } from 'node:crypto';
import { ZERO_USAGE } from '@platform/core/genai';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../ratelimit/test/tcp-proxy.js';
import type { CostLogger } from '../src/alerts.js';
import { costControl } from '../src/control.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresLedger } from '../src/stores/postgres.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const direct = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await direct.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await direct.end();
});

/**
 * 40 settled AI calls a second through a cost control whose PostgreSQL ledger sits behind a
 * proxy that is cut for `cutMs` (connections destroyed, port refused) in the middle.
 */
async function run(cutMs: number, ledgerQueue: { max: number }) {
  const schema = `cost_cut_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  schemas.push(schema);
  const proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
  await proxy.start();
  const pool = new pg.Pool({
    connectionString: proxy.urlFor(DATABASE_URL),
    max: 4,
    connectionTimeoutMillis: 500,
  });
  const lines: { level: string; msg?: string; obj: Record<string, unknown> }[] = [];
  const logger: CostLogger = {
    info: (obj, msg) => lines.push({ level: 'info', msg, obj: obj as Record<string, unknown> }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj: obj as Record<string, unknown> }),
  };
  const ledger = postgresLedger({ client: pool, schema, logger });
  await ledger.migrate();
  const control = costControl({ store: memoryStore(), ledger, logger, ledgerQueue });
  let settled = 0;
  const call = async () => {
    const admission = await control.admit({ tenant: 't', model: 'gpt-4o-mini', inputTokens: 10 });
    await admission.settle({ usage: { ...ZERO_USAGE, inputTokens: 10, outputTokens: 5 } });
    settled++;
  };
  let stop = false;
  const load = (async () => {
    const inFlight = new Set<Promise<void>>();
    while (!stop) {
      const p = call().finally(() => inFlight.delete(p));
      inFlight.add(p);
      await sleep(25);
    }
    await Promise.all(inFlight);
  })();
  await sleep(1_000);
  await proxy.stop();
  await sleep(cutMs);
  await proxy.start();
  await sleep(1_000);
  stop = true;
  await load;
  await control.flush();
  const { rows } = await direct.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${schema}".cost_usage`,
  );
  const stats = control.ledgerStats();
  await control.close();
  await ledger.close?.();
  await pool.end();
  await proxy.stop();
  return { settled, stored: Number(rows[0]?.n), stats, lines };
}

describe('cost ledger on PostgreSQL cut under load', () => {
  it('loses no usage record to an outage shorter than the buffer', async () => {
    const r = await run(3_000, { max: 10_000 });
    console.info(
      `[cost] ${r.settled} settled, ${r.stored} stored, ${r.stats.dropped} dropped, ${r.stats.retries} retries`,
    );
    expect(r.settled).toBeGreaterThan(150);
    expect(r.stored).toBe(r.settled);
    expect(r.stats).toMatchObject({ dropped: 0, queued: 0, written: r.settled });
    const outage = r.lines.filter((l) => l.msg?.startsWith('cost ledger unavailable'));
    expect(outage).toHaveLength(1);
    expect(r.lines.filter((l) => l.msg === 'cost ledger PostgreSQL connection lost')).toHaveLength(
      1,
    );
    expect(r.lines.some((l) => l.msg?.startsWith('cost ledger recovered'))).toBe(true);
  }, 30_000);

  it('counts and logs the records past a deliberately tiny buffer', async () => {
    const r = await run(2_000, { max: 10 });
    console.info(
      `[cost] tiny buffer: ${r.settled} settled, ${r.stored} stored, ${r.stats.dropped} dropped`,
    );
    expect(r.stats.dropped).toBeGreaterThan(0);
    expect(r.stored + r.stats.dropped).toBe(r.settled);
    const drops = r.lines.filter((l) => l.obj.where === 'drop');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.length).toBeLessThan(r.stats.dropped);
    expect(drops[0]?.obj.dropped).toBeGreaterThan(0);
  }, 30_000);
});
