import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../ratelimit/test/tcp-proxy.js';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import type { FlagsLogger } from '../src/diagnostics.js';
import { flagOperations } from '../src/operations.js';
import type { FlagStore } from '../src/store.js';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { DATABASE_URL, dropSchema, pool, sleep, testSchema, waitFor } from './support.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
});
const base = { definitions, flushOnShutdown: false, retryIntervalMs: 100 } as const;

function capture() {
  const lines: { level: string; msg: string; [k: string]: unknown }[] = [];
  const logger: FlagsLogger = {
    warn: (obj, msg) => lines.push({ level: 'warn', msg, ...obj }),
    info: (obj, msg) => lines.push({ level: 'info', msg, ...obj }),
  };
  return { lines, logger };
}

const schemas: string[] = [];
const db = pool();
afterAll(async () => {
  await db.end();
  for (const s of schemas) await dropSchema(s);
});

describe('one malformed stored flag beside valid ones', () => {
  it('falls back for that flag only, and is logged once naming the flag and the store', async () => {
    const schema = testSchema('malformed');
    schemas.push(schema);
    const store = postgresStore({ client: db, schema, notifications: false });
    await store.migrate();
    await store.put!({ key: 'theme', serve: { variant: 'dark' } } as never);
    await db.query(
      `INSERT INTO "${schema}".platform_flags (key, version, state) VALUES ('beta', 1, $1)`,
      [JSON.stringify({ key: 'beta', serve: { variant: 'on' }, bogus: true })],
    );
    const { lines, logger } = capture();
    const errors: Error[] = [];
    const flags = createFlags({ ...base, store, logger, onError: (e) => errors.push(e) });
    await flags.ready();
    expect(flags.status).toBe('ready');
    expect(flags.evaluate('theme')).toMatchObject({ value: 'dark', reason: 'STATIC' });
    expect(flags.evaluate('beta')).toMatchObject({ value: false, reason: 'ERROR' });
    await flags.refresh();
    await flags.refresh();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'flag invalid in store',
        flag: 'beta',
        store: `postgres ${schema}.platform_flags`,
        fallback: 'code default',
      }),
    ]);
    expect(String(lines[0]?.problem)).toMatch(/^beta: .*bogus/);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('flag "beta"');
    expect(errors[0]?.message).toContain(`postgres ${schema}.platform_flags`);
    await flags.close();
  });

  it('a file with one malformed flag serves the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-malformed-'));
    const path = join(dir, 'flags.yaml');
    writeFileSync(
      path,
      'flags:\n  theme:\n    serve: { variant: dark }\n  beta:\n    serve: { variant: 12 }\n',
    );
    const { lines, logger } = capture();
    const flags = createFlags({ ...base, store: fileStore({ path, watch: false }), logger });
    await flags.ready();
    expect(flags.evaluate('theme')).toMatchObject({ value: 'dark' });
    expect(flags.evaluate('beta')).toMatchObject({ value: false, reason: 'ERROR' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ flag: 'beta', store: `file ${path}` });
    expect(String(lines[0]?.problem)).toContain('flags.beta.serve.variant');
    await flags.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('every degradation is logged once, without onError', () => {
  const cases: [string, () => FlagStore, RegExp][] = [
    [
      'refused',
      () =>
        postgresStore({
          client: new pg.Pool({
            connectionString: 'postgres://postgres@127.0.0.1:1/test',
            connectionTimeoutMillis: 200,
          }),
          notifications: false,
        }),
      /ECONNREFUSED|connect/,
    ],
    ['hung', () => ({ name: 'hung', load: () => new Promise(() => {}) }), /no answer within/],
    [
      'file missing',
      () => fileStore({ path: '/nonexistent/flags.yaml', watch: false }),
      /cannot read: ENOENT/,
    ],
  ];
  it.each(cases)('%s', async (_, make, error) => {
    const store = make();
    const { lines, logger } = capture();
    const flags = createFlags({ ...base, store, logger, startupTimeoutMs: 100 });
    await flags.ready();
    await sleep(1_500);
    expect(flags.evaluate('theme')).toMatchObject({ value: 'light', reason: 'STALE' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', store: store.name });
    expect(String(lines[0]?.error)).toMatch(error);
    await flags.close();
  });

  it('logs the recovery once, with the failed loads counted', async () => {
    const inner = memoryStore({ flags: [{ key: 'beta', serve: { variant: 'on' } }] });
    let failures = 3;
    const flaky: FlagStore = {
      name: 'flaky',
      load: () => (failures-- > 0 ? Promise.reject(new Error('down')) : inner.load()),
    };
    const { lines, logger } = capture();
    const flags = createFlags({ ...base, store: flaky, logger, startupTimeoutMs: 50 });
    await waitFor(() => flags.isEnabled('beta'), 3_000);
    expect(lines.map((l) => [l.level, l.msg, l.failedLoads])).toEqual([
      ['warn', 'flags store unavailable; serving the last snapshot or code defaults', undefined],
      ['info', 'flags store recovered', 3],
    ]);
    await flags.close();
  });
});

describe('PostgreSQL cut while a flag client follows LISTEN/NOTIFY', () => {
  it('survives, reports the lost connection once, re-listens and resyncs', async () => {
    const schema = testSchema('cut');
    schemas.push(schema);
    const direct = postgresStore({ client: db, schema, notifications: false });
    await direct.migrate();
    await direct.put!({ key: 'theme', serve: { variant: 'light' } } as never);
    const proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
    await proxy.start();
    const cutPool = new pg.Pool({
      connectionString: proxy.urlFor(DATABASE_URL),
      max: 3,
      connectionTimeoutMillis: 500,
    });
    const { lines, logger } = capture();
    // polling only every 60 s: what arrives in time arrives over LISTEN or the resync
    const store = postgresStore({ client: cutPool, schema, logger, pollIntervalMs: 60_000 });
    const flags = createFlags({ ...base, store, logger });
    await flags.ready();
    await flagOperations(flags).toggle('theme', true);
    // let the reload that the toggle's NOTIFY starts finish, then leave one pooled
    // connection idle besides the LISTEN one: the pool reports only idle connections' errors
    await sleep(300);
    await cutPool.query('SELECT 1');
    expect(cutPool.idleCount).toBeGreaterThanOrEqual(1);
    try {
      await proxy.stop();
      await direct.put!({ key: 'theme', serve: { variant: 'dark' } } as never);
      await sleep(1_000);
      expect(flags.value('theme')).toBe('light');
      await proxy.start();
      // the change made during the outage arrives by the resync after LISTEN is back
      await waitFor(() => flags.value('theme') === 'dark', 15_000);
      await direct.put!({ key: 'theme', serve: { variant: 'light' } } as never);
      const ms = await waitFor(() => flags.value('theme') === 'light', 2_000);
      expect(ms).toBeLessThan(2_000);
    } finally {
      await flags.close();
      await cutPool.end();
      await proxy.stop();
    }
    const lost = lines.filter((l) => l.msg === 'flags PostgreSQL connection lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ store: `postgres ${schema}.platform_flags` });
  }, 40_000);
});
