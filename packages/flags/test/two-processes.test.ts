import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { flagOperations } from '../src/operations.js';
import { postgresStore } from '../src/stores/postgres.js';
import { DATABASE_URL, dropSchema, pool, testSchema, waitFor } from './support.js';

const schema = testSchema('proc');
const db = pool();
const store = postgresStore({ client: db, schema });
const flags = createFlags({
  definitions: defineFlags({ beta: { type: 'boolean', default: false } }),
  store,
  flushOnShutdown: false,
});
let child: ChildProcess;
const lines: string[] = [];

beforeAll(async () => {
  await store.migrate();
  await flagOperations(flags).create({ key: 'beta', serve: { variant: 'on' } });
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=development',
      fileURLToPath(new URL('./fixtures/flag-process.ts', import.meta.url)),
    ],
    {
      env: { ...process.env, DATABASE_URL, FLAGS_SCHEMA: schema },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  await waitFor(() => lines.some((l) => l.startsWith('ready')), 20_000).catch(() => {
    throw new Error(`child not ready:\n${lines.join('\n')}`);
  });
}, 30_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((r) => child?.once('exit', r) ?? r(null));
  await flags.close();
  await db.end();
  await dropSchema(schema);
});

it('a toggle written by this process is seen by the other process within 1 s, both ways', async () => {
  expect(lines.find((l) => l.startsWith('ready'))).toContain('"reason":"STATIC"');
  const ops = flagOperations(flags);
  for (const [enabled, reason] of [
    [false, 'DISABLED'],
    [true, 'STATIC'],
  ] as const) {
    const t0 = Date.now();
    await ops.toggle('beta', enabled, 'test');
    const changes = () =>
      lines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { at: number; reason: string; value: boolean });
    await waitFor(() => changes().some((c) => c.reason === reason && c.at >= t0), 1_000);
    const seen = changes().findLast((c) => c.reason === reason)!;
    expect(seen.value).toBe(enabled);
    expect(seen.at - t0).toBeLessThan(1_000);
    console.info(
      `[flags] toggle ${enabled ? 'on' : 'off'} seen by the other process after ${seen.at - t0} ms`,
    );
  }
});
