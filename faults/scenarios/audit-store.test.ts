import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { faultProxy } from '../src/proxy.js';
import { recordRow } from '../src/table.js';

const PG_PORT = Number(process.env.PGPORT ?? 5432);
const schema = `f${process.pid}_${randomUUID().slice(0, 6)}_audit`;
const admin = new pg.Client({
  host: '127.0.0.1',
  port: PG_PORT,
  user: 'postgres',
  database: 'test',
});

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
  await admin.end();
});

it('audit store cut for 6 s at 300 events/s (README setup): the process stays up, retries back off, nothing is lost', async () => {
  await admin.connect();
  const proxy = await faultProxy(PG_PORT);
  const tenant = `faults-${randomUUID().slice(0, 8)}`;
  const child = spawn(
    'pnpm',
    ['exec', 'tsx', '--conditions=development', 'src/audit-writer-child.ts'],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        ...process.env,
        FAULTS_PG_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
        FAULTS_SCHEMA: schema,
        FAULTS_TENANT: tenant,
        FAULTS_RATE: '300',
        FAULTS_DURATION_MS: '12000',
        FAULTS_SPILL: join(tmpdir(), `${schema}.spill.ndjson`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const seen = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => (output.includes(text) || child.exitCode !== null) && resolve();
      child.stdout.on('data', check);
      child.once('exit', () => resolve());
      check();
    });
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = once(child, 'exit');
  try {
    await seen('ready');
    await new Promise((r) => setTimeout(r, 3_000));
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 6_000));
    await proxy.heal();
    const healedAt = performance.now();
    await Promise.race([seen('result '), new Promise((r) => setTimeout(r, 40_000))]);
    const recoveryMs = performance.now() - healedAt;
    const line = output.split('\n').find((l) => l.startsWith('result '));
    const result = line
      ? (JSON.parse(line.slice(7)) as {
          recorded: number;
          flushed: boolean;
          stats: { retries: number };
        })
      : undefined;
    const { rows } = await admin
      .query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".audit_events WHERE tenant_id = $1`,
        [tenant],
      )
      .catch(() => ({ rows: [{ n: '0' }] }));
    const stored = Number(rows[0]?.n ?? 0);
    const processUp = result !== undefined;
    recordRow({
      scenario: 'audit store (README setup) cut 6 s, 300 events/s',
      processUp,
      eventsLost: result ? result.recorded - stored : undefined,
      recoveryMs: result?.flushed ? recoveryMs : undefined,
      retries: result?.stats.retries,
      note: result
        ? `${stored}/${result.recorded} stored`
        : `process ended: ${
            output
              .split('\n')
              .find((l) => /error/i.test(l))
              ?.slice(0, 120) ?? 'no result'
          }`,
    });
    expect.soft(result, output.slice(-2_000)).toBeDefined();
    expect.soft(result?.flushed).toBe(true);
    expect.soft(result && result.recorded - stored, 'events lost').toBe(0);
    // exponential back-off: about 6 attempts fit in 6 s (0.1, 0.2, 0.4, 0.8, 1.6, 3.2 s)
    expect.soft(result?.stats.retries).toBeLessThanOrEqual(8);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    await proxy.close();
  }
});
