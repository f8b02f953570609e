import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithContext, shutdown } from '@platform/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { flagOperations } from '../src/operations.js';
import type { ChangeRecord, FlagStore } from '../src/store.js';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { sleep, waitFor } from './support.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false, kind: 'release', createdAt: '2020-01-01' },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
});
const base = { definitions, flushOnShutdown: false, retryIntervalMs: 100 } as const;

describe('bounded startup', () => {
  it('a store that never answers: ready() resolves at the timeout, code defaults with reason STALE', async () => {
    const hung: FlagStore = { load: () => new Promise(() => {}) };
    const flags = createFlags({ ...base, store: hung, startupTimeoutMs: 150 });
    const t0 = Date.now();
    await flags.ready();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(flags.status).toBe('stale');
    expect(flags.evaluate('theme')).toEqual({ value: 'light', reason: 'STALE' });
    expect(flags.isEnabled('beta')).toBe(false);
    await flags.close();
  });

  it('an unreachable PostgreSQL (closed port): defaults, no throw, errors reported', async () => {
    const dead = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/test',
      connectionTimeoutMillis: 200,
    });
    const errors: Error[] = [];
    const flags = createFlags({
      ...base,
      store: postgresStore({ client: dead, notifications: false }),
      startupTimeoutMs: 500,
      onError: (e) => errors.push(e),
    });
    await flags.ready();
    expect(flags.evaluate('beta')).toMatchObject({ value: false, reason: 'STALE' });
    await waitFor(() => errors.length > 0, 2_000);
    await flags.close();
    await dead.end();
  });

  it('recovers once the store answers, without a restart', async () => {
    const inner = memoryStore({ flags: [{ key: 'beta', serve: { variant: 'on' } }] });
    let failures = 2;
    const flaky: FlagStore = {
      load: () => (failures-- > 0 ? Promise.reject(new Error('down')) : inner.load()),
    };
    const flags = createFlags({ ...base, store: flaky, startupTimeoutMs: 50, onError: () => {} });
    await flags.ready();
    expect(flags.evaluate('beta').reason).toBe('STALE');
    await waitFor(() => flags.isEnabled('beta'), 2_000);
    expect(flags.evaluate('beta')).toMatchObject({ value: true, reason: 'STATIC' });
    await flags.close();
  });
});

describe('context', () => {
  it('merges the request context (tenant, actor) with what the caller passes', async () => {
    const store = memoryStore({
      flags: [
        {
          key: 'beta',
          serve: { variant: 'off' },
          tenants: { acme: { serve: { variant: 'on' } } },
          targets: [{ variant: 'off', users: ['u-off'] }],
        },
      ],
    });
    const flags = createFlags({ ...base, store });
    await flags.ready();
    const request = {
      requestId: 'r1',
      method: 'GET',
      path: '/',
      startTime: 0,
      tenantId: 'acme',
      actor: { type: 'user' as const, id: 'u1', roles: ['admin'] },
    };
    runWithContext(request, () => {
      expect(flags.evaluate('beta')).toMatchObject({ value: true, ruleId: 'tenant:acme' });
      expect(flags.isEnabled('beta', { userId: 'u-off' })).toBe(false);
      expect(flags.with({ tenantId: 'other' }).isEnabled('beta')).toBe(false);
    });
    expect(flags.isEnabled('beta')).toBe(false);
    await flags.close();
  });
});

describe('file store through the client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flags-client-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads per-environment sections, hot-reloads, and keeps the old snapshot on a corrupt file', async () => {
    const path = join(dir, 'flags.yaml');
    writeFileSync(
      path,
      'flags:\n  beta:\n    serve: { variant: on }\nenvironments:\n  production:\n    beta: { enabled: false }\n',
    );
    const errors: Error[] = [];
    const dev = createFlags({
      ...base,
      environment: 'development',
      store: fileStore({ path, pollIntervalMs: 50 }),
      onError: (e) => errors.push(e),
    });
    const prod = createFlags({
      ...base,
      environment: 'production',
      store: fileStore({ path, pollIntervalMs: 50 }),
    });
    await Promise.all([dev.ready(), prod.ready()]);
    expect(dev.isEnabled('beta')).toBe(true);
    expect(prod.evaluate('beta')).toMatchObject({ value: false, reason: 'DISABLED' });

    writeFileSync(path, 'flags:\n  beta:\n    serve: { variant: off }\n');
    await waitFor(() => !dev.isEnabled('beta'), 3_000);

    writeFileSync(
      path,
      'flags:\n  beta:\n    serve: { variant: off }\n    rules:\n      - id: r\n        conditions: [{ attribute: plan, operator: regex, values: [x] }]\n        serve: { variant: on }\n',
    );
    await waitFor(() => errors.length > 0, 3_000);
    expect(errors[0]!.message).toContain(path);
    expect(errors[0]!.message).toContain('flags.beta.rules.0.conditions.0.operator');
    expect(errors[0]!.message).toContain('unknown operator "regex"');
    expect(dev.evaluate('beta')).toMatchObject({ value: false, variant: 'off' });

    writeFileSync(path, 'flags: [unclosed');
    await waitFor(() => errors.length > 1, 3_000);
    expect(errors.at(-1)!.message).toMatch(/flags\.yaml: (cannot parse|invalid)/);
    expect(dev.evaluate('beta').variant).toBe('off');
    await Promise.all([dev.close(), prod.close()]);
  });
});

describe('operations: history, revert, onChange, analytics, stale report', () => {
  it('records every change with a diff, hands it to onChange, and reverts', async () => {
    const changes: ChangeRecord[] = [];
    const flags = createFlags({ ...base, onChange: (c) => void changes.push(c) });
    await flags.ready();
    const ops = flagOperations(flags);
    await ops.toggle('beta', false, 'alice');
    expect(flags.evaluate('beta').reason).toBe('DISABLED');
    await ops.toggle('beta', true, 'alice');
    await ops.setTenantOverride('beta', 'acme', { serve: { variant: 'on' } }, 'bob');
    expect(flags.isEnabled('beta', { tenantId: 'acme' })).toBe(true);
    await ops.setRollout(
      'theme',
      {
        variants: [
          { variant: 'light', weight: 5000 },
          { variant: 'dark', weight: 5000 },
        ],
      },
      undefined,
      'carol',
    );
    expect(flags.evaluate('theme', { userId: 'x' }).reason).toBe('SPLIT');

    expect(changes.map((c) => [c.key, c.actor])).toEqual([
      ['beta', 'alice'],
      ['beta', 'alice'],
      ['beta', 'bob'],
      ['theme', 'carol'],
    ]);
    expect(changes[0]!.diff).toEqual([{ path: 'enabled', before: true, after: false }]);
    const history = await ops.history('beta');
    expect(history.map((h) => h.version)).toEqual([4, 3, 2]);

    const reverted = await ops.revert('beta', 3, 'dave');
    expect(reverted.version).toBe(5);
    expect(reverted.tenants).toEqual({});
    expect(flags.isEnabled('beta', { tenantId: 'acme' })).toBe(false);
    await expect(ops.revert('beta', 99)).rejects.toMatchObject({ status: 404 });
    await flags.close();
  });

  it('counts evaluations per flag × variant × tenant and flushes them on shutdown()', async () => {
    const store = memoryStore({
      flags: [
        { key: 'beta', serve: { variant: 'off' }, tenants: { acme: { serve: { variant: 'on' } } } },
      ],
    });
    const flags = createFlags({ definitions, store, analytics: { flushIntervalMs: 60_000 } });
    await flags.ready();
    for (let i = 0; i < 3; i++) flags.isEnabled('beta', { tenantId: 'acme' });
    flags.isEnabled('beta');
    expect(await store.evaluations!()).toEqual([]);
    const report = await shutdown({ timeoutMs: 2_000 });
    expect(report.completed).toContain('flags');
    const rows = await store.evaluations!();
    expect(rows.map(({ lastEvaluated: _, ...r }) => r)).toEqual(
      expect.arrayContaining([
        { flag: 'beta', variant: 'on', tenant: 'acme', count: 3 },
        { flag: 'beta', variant: 'off', tenant: '', count: 1 },
      ]),
    );
  });

  it('flushes counts to the store periodically', async () => {
    const store = memoryStore({ flags: [{ key: 'beta', serve: { variant: 'on' } }] });
    const flags = createFlags({ ...base, store, analytics: { flushIntervalMs: 100 } });
    await flags.ready();
    flags.isEnabled('beta', { tenantId: 't1' });
    flags.isEnabled('beta', { tenantId: 't1' });
    await waitFor(async () => (await store.evaluations!()).some((r) => r.count === 2), 2_000);
    flags.isEnabled('beta', { tenantId: 't1' });
    await waitFor(async () => (await store.evaluations!()).some((r) => r.count === 3), 2_000);
    await flags.close();
  });

  it('reports flags past their lifetime, idle, or serving one variant', async () => {
    const flags = createFlags({ ...base });
    await flags.ready();
    flags.isEnabled('beta');
    const ops = flagOperations(flags);
    const report = await ops.stale();
    const beta = report.find((r) => r.key === 'beta');
    expect(beta?.reasons).toEqual(expect.arrayContaining(['past_lifetime', 'single_variant']));
    expect(beta).toMatchObject({ kind: 'release', lifetimeDays: 40, variant: 'off' });
    expect((await ops.analytics()).find((r) => r.flag === 'beta')?.count).toBe(1);
    await flags.close();
  });
});

describe('live updates over PostgreSQL', () => {
  it('a toggle through one client reaches another client on its own pool within 1 s', async () => {
    const { pool, testSchema, dropSchema } = await import('./support.js');
    const schema = testSchema('live');
    const [a, b] = [pool(), pool()];
    const storeA = postgresStore({ client: a, schema });
    await storeA.migrate();
    const flagsA = createFlags({ ...base, store: storeA });
    const flagsB = createFlags({ ...base, store: postgresStore({ client: b, schema }) });
    await Promise.all([flagsA.ready(), flagsB.ready()]);
    await flagOperations(flagsA).create({ key: 'beta', serve: { variant: 'off' } }, 'alice');
    await waitFor(() => flagsB.evaluate('beta').reason === 'STATIC', 2_000);
    await sleep(50);
    const t0 = Date.now();
    await flagOperations(flagsA).toggle('beta', false);
    const took = await waitFor(() => flagsB.evaluate('beta').reason === 'DISABLED', 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(took).toBeLessThan(1_000);
    await Promise.all([flagsA.close(), flagsB.close()]);
    await Promise.all([a.end(), b.end()]);
    await dropSchema(schema);
  });
});

describe('live updates without LISTEN', () => {
  it('polling picks up a change from another instance within 1 s when notifications are off', async () => {
    const { pool, testSchema, dropSchema } = await import('./support.js');
    const schema = testSchema('poll');
    const [a, b] = [pool(), pool()];
    const storeA = postgresStore({ client: a, schema, notifications: false });
    await storeA.migrate();
    const flagsA = createFlags({ ...base, store: storeA });
    const flagsB = createFlags({
      ...base,
      store: postgresStore({ client: b, schema, notifications: false }),
    });
    await Promise.all([flagsA.ready(), flagsB.ready()]);
    await flagOperations(flagsA).create({ key: 'beta', serve: { variant: 'on' } });
    await waitFor(() => flagsB.isEnabled('beta'), 2_000);
    const t0 = Date.now();
    await flagOperations(flagsA).toggle('beta', false);
    await waitFor(() => !flagsB.isEnabled('beta'), 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await Promise.all([flagsA.close(), flagsB.close()]);
    await Promise.all([a.end(), b.end()]);
    await dropSchema(schema);
  });

  it('PGlite: a write through one client reaches another client on the same database', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite();
    const store = postgresStore({ client: db, schema: 'flags_live' });
    await store.migrate();
    const writer = createFlags({ ...base, store });
    const reader = createFlags({
      ...base,
      store: postgresStore({ client: db, schema: 'flags_live' }),
    });
    await Promise.all([writer.ready(), reader.ready()]);
    await flagOperations(writer).create({ key: 'theme', serve: { variant: 'dark' } });
    await waitFor(() => reader.value('theme') === 'dark', 1_000);
    await Promise.all([writer.close(), reader.close()]);
    await db.close();
    // PGlite boots in seconds alone, and in tens of seconds on a loaded two-core runner.
  }, 90_000);
});
