import { recordingMetrics } from '@platform/core/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../ratelimit/test/tcp-proxy.js';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { postgresStore } from '../src/stores/postgres.js';
import { DATABASE_URL, dropSchema, pool, sleep, testSchema } from './support.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
});
const metrics = recordingMetrics();
const db = pool();
const schema = testSchema('metrics');
afterAll(async () => {
  metrics.restore();
  await db.end();
  await dropSchema(schema);
});

const EVALUATIONS = 'platform_flags_evaluations_total';
const STALENESS = 'platform_flags_store_staleness_seconds';
const quiet = { warn() {}, info() {} };

describe('flags metrics over PostgreSQL', () => {
  it('counts evaluations by flag and variant, and reports staleness while the store is cut off', async () => {
    const direct = postgresStore({ client: db, schema, notifications: false });
    await direct.migrate();
    await direct.put!({ key: 'theme', serve: { variant: 'dark' } } as never);
    const proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
    await proxy.start();
    const cutPool = new pg.Pool({
      connectionString: proxy.urlFor(DATABASE_URL),
      max: 2,
      connectionTimeoutMillis: 300,
    });
    cutPool.on('error', () => undefined);
    const store = postgresStore({ client: cutPool, schema, notifications: false, logger: quiet });
    const flags = createFlags({
      definitions,
      store,
      logger: quiet,
      onError: () => undefined,
      flushOnShutdown: false,
      retryIntervalMs: 60_000,
    });
    try {
      await flags.ready();
      for (let i = 0; i < 3; i++) expect(flags.value('theme')).toBe('dark');
      flags.evaluateAny('nope');
      expect(metrics.value(EVALUATIONS, { flag: 'theme', variant: 'dark' })).toBe(3);
      expect(metrics.value(EVALUATIONS, { flag: 'nope' })).toBe(0);
      expect(metrics.gaugeValue(STALENESS)).toBeLessThan(1);

      await proxy.stop();
      await sleep(1_200);
      await flags.refresh();
      expect(flags.status).toBe('stale');
      expect(metrics.gaugeValue(STALENESS)).toBeGreaterThanOrEqual(1.2);

      await proxy.start();
      await flags.refresh();
      expect(flags.status).toBe('ready');
      expect(metrics.gaugeValue(STALENESS)).toBeLessThan(1);
    } finally {
      await flags.close();
      await cutPool.end();
      await proxy.stop();
    }
    expect(metrics.gaugeValue(STALENESS)).toBeUndefined();
  }, 30_000);
});
