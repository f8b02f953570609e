import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Algorithm, StoreCheck, StoreOutcome } from '../src/store.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { dropSchema, pool, runSchema } from './postgres-support.js';

// The store's SQL functions against the reference (the memory store over algorithms.ts) at
// the same instants: a seeded random run of consumes and refunds on a few keys must give
// the same outcome, field for field, at every step.

const schema = runSchema('reference');
let db: pg.Pool;
beforeAll(async () => {
  db = pool();
  const store = postgresStore({ client: db, schema, sweepIntervalMs: false });
  await store.migrate();
  store.shutdown();
});
afterAll(async () => {
  await dropSchema(db, schema);
  await db.end();
});

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALGORITHMS: Algorithm[] = ['fixed', 'sliding', 'gcra'];
const WINDOWS = [100, 1000, 7000, 60_000];

function keysFor(pick: () => number, run: number) {
  return Array.from({ length: 6 }, (_, i) => {
    const algorithm = ALGORITHMS[i % 3] as Algorithm;
    const limit = [0, 1, 3, 10, 7][Math.floor(pick() * 5)] as number;
    const burst = algorithm === 'gcra' ? Math.max(1, Math.floor(pick() * 12)) : limit;
    return {
      key: `ref${run}|k${i}`,
      scope: `ref${run}`,
      subject: `k${i}`,
      algorithm,
      limit,
      windowMs: WINDOWS[Math.floor(pick() * WINDOWS.length)] as number,
      burst,
      blockMs: pick() < 0.2 ? Math.floor(pick() * 3000) : 0,
    };
  });
}

async function pgConsume(checks: StoreCheck[], at: number) {
  const col = <T>(f: (c: StoreCheck) => T) => checks.map(f);
  const { rows } = await db.query<{ r: number[] }>(
    `SELECT "${schema}".ratelimit_consume($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8) AS r`,
    [
      col((c) => c.key),
      col((c) => c.algorithm),
      col((c) => c.limit),
      col((c) => c.windowMs),
      col((c) => c.burst),
      col((c) => c.cost),
      col((c) => c.blockMs),
      at,
    ],
  );
  const r = rows[0]?.r as number[];
  return checks.map(
    (_, i): StoreOutcome => ({
      allowed: r[1 + i * 4] === 1,
      remaining: (r[2 + i * 4] as number) + 0,
      resetMs: (r[3 + i * 4] as number) + 0,
      retryAfterMs: (r[4 + i * 4] as number) + 0,
    }),
  );
}

async function pgRefund(checks: StoreCheck[], at: number) {
  await db.query(
    `SELECT "${schema}".ratelimit_refund($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6)`,
    [
      checks.map((c) => c.key),
      checks.map((c) => c.algorithm),
      checks.map((c) => c.limit),
      checks.map((c) => c.windowMs),
      checks.map((c) => c.cost),
      at,
    ],
  );
}

describe('PostgreSQL functions vs the reference algorithms', () => {
  it.each([1, 2, 3, 4])(
    'seed %i: 600 steps answer alike',
    async (seed) => {
      const pick = random(seed);
      const keys = keysFor(pick, seed);
      let now = 1_700_000_000_000 + Math.floor(pick() * 1000);
      const reference = memoryStore({ clock: () => now });
      for (let step = 0; step < 600; step++) {
        now += [0, 1, 7, 40, 333, 1500][Math.floor(pick() * 6)] as number;
        const n = 1 + Math.floor(pick() * 3);
        const checks = Array.from({ length: n }, () => ({
          ...(keys[Math.floor(pick() * keys.length)] as (typeof keys)[number]),
          cost: [0, 1, 1, 1, 2, 5][Math.floor(pick() * 6)] as number,
        }));
        if (pick() < 0.1) {
          reference.refund?.(checks);
          await pgRefund(checks, now);
          continue;
        }
        const expected = reference.consume(checks).outcomes.map((o) => ({
          allowed: o.allowed,
          remaining: o.remaining,
          resetMs: o.resetMs,
          retryAfterMs: o.retryAfterMs,
        }));
        expect({ step, outcomes: await pgConsume(checks, now) }).toEqual({
          step,
          outcomes: expected,
        });
      }
    },
    60_000,
  );
});
