import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
beforeAll(async () => {
  db = await isolatedSchema();
});
afterAll(() => db.drop());

it('stores every queued event before the process exits on SIGTERM', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/sigterm-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', fixture, DATABASE_URL, db.schema, '3000'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`child not ready:\n${out}`)), 20_000);
    child.stdout.on('data', () => {
      if (/queued \d+/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  const queued = Number(/queued (\d+)/.exec(out)?.[1]);
  expect(queued).toBe(3000);
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(out).toMatch(/shutdown .*"completed":\["audit-trail"\]/);
  expect(code).toBe(0);
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, max(seq)::int AS m FROM "${db.schema}".audit_events`,
  );
  expect(rows[0]).toEqual({ n: 3000, d: 3000, m: 3000 });
}, 40_000);
