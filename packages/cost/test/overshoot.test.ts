import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costControl, usd } from '../src/index.js';
import { redisBudgetStore } from '../src/stores/redis.js';
import { type FakeAi, startFakeAi } from './fake-ai.js';
import { deleteKeys, ioredis, runPrefix } from './redis-support.js';

const WORKER = fileURLToPath(new URL('./fixtures/overshoot-worker.ts', import.meta.url));
const PROCESSES = 4;
const PER_PROCESS = 50;

interface Report {
  ok: number;
  quota: number;
  other: string[];
  cost: string;
  records: number;
  alerts: string[];
}

let ai: FakeAi;
const redis = ioredis();
const prefixes: string[] = [];

beforeAll(async () => {
  ai = await startFakeAi({ maxLatencyMs: 40 });
});
afterAll(async () => {
  await ai.close();
  for (const p of prefixes) await deleteKeys(redis, p);
  redis.disconnect();
});

async function run(budget: object): Promise<{ reports: Report[]; prefix: string }> {
  const prefix = runPrefix('overshoot');
  prefixes.push(prefix);
  const children = Array.from({ length: PROCESSES }, (_, i) =>
    spawn(
      process.execPath,
      [
        '--conditions=development',
        '--import',
        'tsx',
        WORKER,
        prefix,
        ai.url,
        JSON.stringify(budget),
        String(PER_PROCESS),
        String(1000 + i * 7919),
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), env: process.env },
    ),
  );
  const outputs = children.map((c) => {
    c.stderr.on('data', (d) => process.stderr.write(d));
    const lines = createInterface({ input: c.stdout });
    const got: string[] = [];
    const ready = new Promise<void>((resolve) =>
      lines.on('line', (l) => (l === 'ready' ? resolve() : got.push(l))),
    );
    return { ready, got, exit: once(c, 'exit') };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const c of children) c.stdin.write('go\n');
  await Promise.all(outputs.map((o) => o.exit));
  return { reports: outputs.map((o) => JSON.parse(o.got.join('')) as Report), prefix };
}

describe('no overshoot: 200 concurrent calls from 4 processes on one Redis budget', () => {
  it('the settled total never exceeds the money budget', async () => {
    const max = '0.25';
    const { reports, prefix } = await run({
      limits: [
        { metric: 'money', period: 'day', max },
        { metric: 'calls', period: 'day', max: 180 },
      ],
    });
    const ok = reports.reduce((s, r) => s + r.ok, 0);
    const quota = reports.reduce((s, r) => s + r.quota, 0);
    const spent = reports.reduce((s, r) => s + BigInt(r.cost), 0n);
    expect(reports.flatMap((r) => r.other)).toEqual([]);
    expect(ok + quota).toBe(PROCESSES * PER_PROCESS);
    expect(reports.reduce((s, r) => s + r.records, 0)).toBe(ok);
    expect(quota).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(10);
    expect(spent).toBeLessThanOrEqual(usd(max));
    // No threshold fired twice across the processes.
    const fired = reports.flatMap((r) => r.alerts);
    expect(new Set(fired).size).toBe(fired.length);
    // Redis holds exactly the settled total: every reservation was replaced by its actual.
    const control = costControl({
      store: redisBudgetStore({ client: redis, prefix }),
      budgets: { default: { limits: [{ metric: 'money', period: 'day', max }] } },
    });
    const status = await control.status({ tenant: 'shared-tenant' });
    expect(BigInt(status.limits[0]?.used ?? -1)).toBe(spent);
  }, 60_000);

  it('exactly the allowed number of calls pass the call limit', async () => {
    const { reports, prefix } = await run({
      limits: [
        { metric: 'calls', period: 'day', max: 137 },
        { metric: 'money', period: 'day', max: '1000.00' },
      ],
    });
    expect(reports.flatMap((r) => r.other)).toEqual([]);
    expect(reports.reduce((s, r) => s + r.ok, 0)).toBe(137);
    expect(reports.reduce((s, r) => s + r.quota, 0)).toBe(200 - 137);
    // Each threshold of the call limit fired exactly once across the four processes.
    const fired = reports.flatMap((r) => r.alerts).filter((a) => a.startsWith('calls:'));
    expect(fired.sort()).toEqual(['calls:100', 'calls:50', 'calls:80']);
    const control = costControl({
      store: redisBudgetStore({ client: redis, prefix }),
      budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 137 }] } },
    });
    expect((await control.status({ tenant: 'shared-tenant' })).limits[0]?.used).toBe(137);
  }, 60_000);
});
