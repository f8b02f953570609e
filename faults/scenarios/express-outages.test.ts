import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, stopAll } from '../../examples/test-support/harness.js';
import { runLoad, type Sample } from '../src/load.js';
import { type FaultProxy, faultProxy } from '../src/proxy.js';
import { type OwnRedis, startRedis } from '../src/redis-server.js';
import { recordRow } from '../src/table.js';

/**
 * The Express example under load while its dependencies fail: its audit trail, flags and
 * usage ledger on PostgreSQL and its rate limiter and budget counters on Redis, each
 * reached through a fault proxy. Redis is a redis-server of the suite's own; PostgreSQL
 * is the shared one, in schemas of this run's own. Load: 50 requests a second to
 * 127.0.0.1, a mix of audited writes, AI calls, reads and flag-gated reads.
 */

const PG_PORT = Number(process.env.PGPORT ?? 5432);
const RATE = 50;
const DEADLINE_MS = 3_000;
const run = `f${process.pid}_${randomUUID().slice(0, 6)}`;
const tenant = `faults-${run}`;
const schemas = { audit: `${run}_audit`, flags: `${run}_flags`, cost: `${run}_cost` };

let redis: OwnRedis;
let redisProxy: FaultProxy;
let pgProxy: FaultProxy;
let app: RunningApp;
const admin = new pg.Client({
  host: '127.0.0.1',
  port: PG_PORT,
  user: 'postgres',
  database: 'test',
});
/** Every POST answered 2xx: its request id must end up in the audit trail. */
const answeredWrites = new Set<string>();
/** Every AI call answered 200: its usage record must end up in the ledger. */
const answeredCalls = new Set<string>();

beforeAll(async () => {
  await admin.connect();
  redis = await startRedis();
  redisProxy = await faultProxy(redis.port);
  pgProxy = await faultProxy(PG_PORT);
  const pgUrl = `postgres://postgres@127.0.0.1:${pgProxy.port}/test`;
  const redisUrl = `redis://127.0.0.1:${redisProxy.port}`;
  app = await startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('../../examples/express', import.meta.url)),
    env: {
      NODE_ENV: 'production',
      // the scenario's callers identify themselves with the demo's X-User-* headers
      DEMO_HEADER_AUTH: 'on',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_REQUEST_SAMPLE_RATE: '0',
      PLATFORM_AUDIT_LOG: 'off',
      PLATFORM_AUDIT_DATABASE_URL: pgUrl,
      PLATFORM_AUDIT_SCHEMA: schemas.audit,
      PLATFORM_FLAGS_DATABASE_URL: pgUrl,
      PLATFORM_FLAGS_SCHEMA: schemas.flags,
      PLATFORM_COST_DATABASE_URL: pgUrl,
      PLATFORM_COST_SCHEMA: schemas.cost,
      PLATFORM_COST_REDIS_URL: redisUrl,
      PLATFORM_COST_REDIS_PREFIX: `${run}:cost:`,
      PLATFORM_COST_CALLS_PER_DAY: '1000000',
      PLATFORM_COST_USD_PER_MONTH: '1000000.00',
      PLATFORM_RATELIMIT_REDIS_URL: redisUrl,
      PLATFORM_RATELIMIT_REDIS_PREFIX: `${run}:rl:`,
      RATE_LIMIT_PER_MINUTE: '100',
      ITEMS_RATE_LIMIT_PER_MINUTE: '1000',
    },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    timeoutMs: 90_000,
  });
  // warm up: lazy stores open, code paths compile; not part of any figure
  const warm = mixed('warmup');
  for (let i = 0; i < 12; i++) {
    const res = await warm(i).send(AbortSignal.timeout(30_000));
    await res.arrayBuffer();
  }
});

afterAll(async () => {
  await stopAll();
  await pgProxy?.close();
  await redisProxy?.close();
  await redis?.stop();
  for (const s of Object.values(schemas)) {
    await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`).catch(() => {});
  }
  await admin.end();
});

/** Request `i` of the mix: an audited write, an AI call, a read, a flag-gated read. */
function mixed(phase: string) {
  return (i: number) => {
    const user = `u-${i % 200}`;
    const headers = {
      'x-user-id': user,
      'x-tenant-id': tenant,
      'content-type': 'application/json',
    };
    const url = app.url;
    switch (i % 4) {
      case 0: {
        const id = `faults-${phase}-w-${i}`;
        return {
          kind: 'write',
          send: async (signal: AbortSignal) => {
            const res = await fetch(`${url}/api/items`, {
              method: 'POST',
              headers: { ...headers, 'x-request-id': id },
              body: JSON.stringify({ name: `Item ${i}`, price: 1 }),
              signal,
            });
            if (res.ok) answeredWrites.add(id);
            return res;
          },
        };
      }
      case 1: {
        const id = `faults-${phase}-ai-${i}`;
        return {
          kind: 'ai',
          send: async (signal: AbortSignal) => {
            const res = await fetch(`${url}/api/ai/chat`, {
              method: 'POST',
              headers: { ...headers, 'x-request-id': id },
              body: JSON.stringify({ prompt: 'Summarize my orders' }),
              signal,
            });
            if (res.ok) {
              answeredWrites.add(id);
              answeredCalls.add(id);
            }
            return res;
          },
        };
      }
      case 2:
        return {
          kind: 'read',
          send: (signal: AbortSignal) => fetch(`${url}/api/items/1`, { headers, signal }),
        };
      default:
        return {
          kind: 'flag',
          send: (signal: AbortSignal) =>
            fetch(`${url}/api/reports`, { headers: { ...headers, 'x-tenant-id': 'acme' }, signal }),
        };
    }
  };
}

/** The statuses each kind may answer with, by package default (ratelimit open, budget deny). */
const ALLOWED: Record<string, (status: number, outage: 'redis' | 'pg' | undefined) => boolean> = {
  write: (s) => s === 201,
  read: (s) => s === 200,
  flag: (s) => s === 200 || s === 404,
  // the budget store fails closed by default: 503 budget_unavailable while Redis is out
  ai: (s, outage) => s === 200 || (outage === 'redis' && s === 503),
};

interface Window {
  from: number;
  to: number;
}

/** How long after healing a dependency the app may still answer by its outage policy. */
const RECOVERY_BUDGET_MS = 3_000;

/** A sample whose request was in flight while `w` (widened by `graceMs` after it) lasted. */
const overlaps = (s: Sample, w: Window, graceMs = 0) =>
  s.sentAt < w.to + graceMs && s.sentAt + s.ms > w.from;

/**
 * Every request must be answered within the deadline, by the policy in force: the outage
 * policy while the dependency is out and until RECOVERY_BUDGET_MS after it is back, the
 * normal answer otherwise.
 */
function judge(samples: Sample[], windows: Window[], outage: 'redis' | 'pg') {
  const bad = samples.filter((s) => {
    if (s.status === undefined) return true;
    const affected = windows.some((w) => overlaps(s, w, RECOVERY_BUDGET_MS));
    return !(ALLOWED[s.kind] ?? (() => false))(s.status, affected ? outage : undefined);
  });
  const during = samples.filter((s) => windows.some((w) => overlaps(s, w)));
  const maxOf = (keep: (s: Sample) => boolean) =>
    Math.max(0, ...during.filter(keep).map((s) => s.ms));
  return {
    bad,
    maxAnswerMs: maxOf(() => true),
    maxAiMs: maxOf((s) => s.kind === 'ai'),
    maxOtherMs: maxOf((s) => s.kind !== 'ai'),
  };
}

const describeSample = (s: Sample) =>
  `${s.kind} at ${Math.round(s.sentAt)} ms: ${s.status ?? s.error} ${s.body ?? ''}`;

/** From `healedAt` (ms into the run) until the last answer that was still degraded. */
function recoveryAfter(
  samples: Sample[],
  healedAt: number,
  until: number,
  degraded: (s: Sample) => boolean,
) {
  const late = samples.filter((s) => s.sentAt + s.ms > healedAt && s.sentAt < until && degraded(s));
  return Math.max(0, ...late.map((s) => s.sentAt + s.ms - healedAt));
}

async function auditRowsFor(ids: Set<string>): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(DISTINCT request_id) AS n FROM "${schemas.audit}".audit_events WHERE request_id = ANY($1)`,
    [[...ids]],
  );
  return Number(rows[0]?.n ?? 0);
}

async function usageRowsFor(ids: Set<string>): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(DISTINCT request_id) AS n FROM "${schemas.cost}".cost_usage WHERE request_id = ANY($1)`,
    [[...ids]],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Polls until `count()` reaches `want` or `limitMs` passes; returns the last count and the wait. */
async function caughtUp(count: () => Promise<number>, want: number, limitMs: number) {
  const started = performance.now();
  let got = await count();
  while (got < want && performance.now() - started < limitMs) {
    await new Promise((r) => setTimeout(r, 250));
    got = await count();
  }
  return { got, waitedMs: performance.now() - started };
}

const unhandledRedisErrors = () =>
  app
    .output()
    .split('\n')
    .filter((l) => /Unhandled error event/.test(l)).length;

describe('Express example under faults', () => {
  it('Redis cut for 3 s and stalled for 2 s: answers by policy within the deadline, recovers without a restart', async () => {
    const cut: Window = { from: 3_000, to: 6_000 };
    const stall: Window = { from: 8_000, to: 10_000 };
    const before = unhandledRedisErrors();
    const samples = await runLoad({
      rate: RATE,
      durationMs: 13_000,
      deadlineMs: DEADLINE_MS,
      request: mixed('redis'),
      async onTick(t) {
        if (t >= cut.from && t < cut.to && redisProxy.mode === 'pass') await redisProxy.cut();
        if (t >= cut.to && t < stall.from && redisProxy.mode === 'cut') await redisProxy.heal();
        if (t >= stall.from && t < stall.to && redisProxy.mode === 'pass') redisProxy.stall();
        if (t >= stall.to && redisProxy.mode === 'stall') await redisProxy.heal();
      },
    });
    const { bad, maxAnswerMs, maxAiMs, maxOtherMs } = judge(samples, [cut, stall], 'redis');
    // recovery: from healing until the limiter counts every read again and budgets answer
    const limiterDown = (x: Sample) =>
      x.kind === 'read' && x.status === 200 && !x.headers?.has('ratelimit');
    const budgetDown = (x: Sample) => x.kind === 'ai' && x.status === 503;
    const recoveryMs = Math.max(
      recoveryAfter(samples, cut.to, stall.from, (x) => limiterDown(x) || budgetDown(x)),
      recoveryAfter(
        samples,
        stall.to,
        Number.POSITIVE_INFINITY,
        (x) => limiterDown(x) || budgetDown(x),
      ),
    );
    const unhandled = unhandledRedisErrors() - before;
    recordRow({
      scenario: 'Redis cut 3 s + stall 2 s (ratelimit, budgets)',
      processUp: app.exited() === undefined,
      maxAnswerMs,
      unanswered: bad.length,
      recoveryMs,
      note: `${samples.length} requests; slowest AI ${Math.round(maxAiMs)} ms, other ${Math.round(maxOtherMs)} ms; ${unhandled} unhandled client error lines`,
    });
    expect.soft(app.exited(), app.output().slice(-2_000)).toBeUndefined();
    expect.soft(bad.map(describeSample)).toEqual([]);
    // the limiter's Redis deadline is 50 ms; an AI call checks its budget twice (admission,
    // settlement), each within the budget store's 500 ms deadline
    expect.soft(maxOtherMs, 'slowest non-AI answer while Redis was out').toBeLessThan(1_000);
    expect.soft(maxAiMs, 'slowest AI answer while Redis was out').toBeLessThan(2_000);
    expect.soft(recoveryMs).toBeLessThan(RECOVERY_BUDGET_MS);
    // row 16: the example's Redis clients never print unhandled error stacks
    expect.soft(unhandled).toBe(0);
  });

  it('rate-limit exactness on a healthy Redis under load: exactly the limit is admitted', async () => {
    const user = `exact-${run}`;
    const attempts = 150; // RATE_LIMIT_PER_MINUTE is 100
    const background = runLoad({
      rate: RATE,
      durationMs: 4_000,
      deadlineMs: DEADLINE_MS,
      request: mixed('exact'),
    });
    const statuses: number[] = [];
    let degraded = 0;
    const queue = Array.from({ length: attempts }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 15 }, async () => {
        while (queue.shift() !== undefined) {
          const res = await fetch(`${app.url}/api/items/1`, {
            headers: { 'x-user-id': user },
            signal: AbortSignal.timeout(DEADLINE_MS),
          });
          await res.arrayBuffer();
          statuses.push(res.status);
          if (res.status === 200 && !res.headers.has('ratelimit')) degraded++;
        }
      }),
    );
    await background;
    const admitted = statuses.filter((s) => s === 200).length;
    recordRow({
      scenario: 'ratelimit exactness, healthy Redis, under load',
      processUp: app.exited() === undefined,
      note: `${admitted} of ${attempts} admitted, limit 100; ${degraded} admitted unchecked (store failed open)`,
    });
    expect(admitted).toBe(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
  });

  it('PostgreSQL cut for 4 s: the process stays up, writes are answered and none is lost, the chain verifies', async () => {
    const cut: Window = { from: 3_000, to: 7_000 };
    let healedAt = 0;
    const samples = await runLoad({
      rate: RATE,
      durationMs: 12_000,
      deadlineMs: DEADLINE_MS,
      request: mixed('pg'),
      async onTick(t) {
        if (t >= cut.from && t < cut.to && pgProxy.mode === 'pass') await pgProxy.cut();
        if (t >= cut.to && pgProxy.mode === 'cut') {
          await pgProxy.heal();
          healedAt = performance.now();
        }
      },
    });
    const { bad, maxAnswerMs } = judge(samples, [cut], 'pg');
    const audit = await caughtUp(() => auditRowsFor(answeredWrites), answeredWrites.size, 20_000);
    const auditCaughtUpAt = performance.now();
    const usage = await caughtUp(() => usageRowsFor(answeredCalls), answeredCalls.size, 5_000);
    const processUp = app.exited() === undefined;
    let verified: unknown;
    if (processUp) {
      const res = await fetch(`${app.url}/api/audit/verify?tenant=${tenant}`, {
        headers: { 'x-user-id': 'root', 'x-user-role': 'admin', 'x-tenant-id': tenant },
        signal: AbortSignal.timeout(10_000),
      }).catch((err: Error) => err);
      verified = res instanceof Error ? res.message : await res.json();
    }
    const auditLost = answeredWrites.size - audit.got;
    const usageLost = answeredCalls.size - usage.got;
    recordRow({
      scenario: 'PostgreSQL cut 4 s (audit, flags, cost ledger)',
      processUp,
      eventsLost: auditLost + usageLost,
      maxAnswerMs,
      unanswered: bad.length,
      // from healing until the trail held every answered write (undefined: it never did)
      recoveryMs: audit.got === answeredWrites.size ? auditCaughtUpAt - healedAt : undefined,
      note: `audit ${audit.got}/${answeredWrites.size}, usage ${usage.got}/${answeredCalls.size}${processUp ? '' : `, app ${app.exited()}`}`,
    });
    expect.soft(app.exited(), app.output().slice(-3_000)).toBeUndefined();
    expect.soft(bad.map(describeSample)).toEqual([]);
    expect.soft(maxAnswerMs).toBeLessThan(DEADLINE_MS);
    expect.soft(auditLost, 'audit events lost').toBe(0);
    expect.soft(usageLost, 'usage records lost').toBe(0);
    expect.soft(verified).toMatchObject({ ok: true });
  });
});
