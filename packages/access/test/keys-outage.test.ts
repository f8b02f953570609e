import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { apiKeyAuth } from '../src/express.js';
import { apiKeys } from '../src/index.js';
import { postgresKeyStore } from '../src/postgres.js';
import { capturingLogger, listening } from './keys-http-support.js';
import { DATABASE_URL, dropSchema, pool, runSchema } from './pg-support.js';

/** PostgreSQL behind a proxy this test cuts: the key store goes away mid-run. */
describe('API keys when PostgreSQL goes away', () => {
  const proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
  const schema = runSchema('outage');
  const admin = pool();
  const logger = capturingLogger();
  let client: ReturnType<typeof pool>;
  let url: string;
  let close: () => void;
  let key: string;
  let keys: ReturnType<typeof apiKeys>;

  beforeAll(async () => {
    await proxy.start();
    client = pool({ connectionString: proxy.urlFor(DATABASE_URL), connectionTimeoutMillis: 500 });
    const store = postgresKeyStore({ client, schema, timeoutMs: 300, maxTimeoutMs: 500 });
    await store.migrate();
    keys = apiKeys({ store, logger, shutdown: false, activityFlushMs: 50 });
    key = (await keys.create({ name: 'svc', tenantId: 'acme' })).key;
    const app = express();
    app.use(requestContext());
    app.use(apiKeyAuth({ keys, logger }));
    app.get('/api', (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    url = await listening(server);
    close = () => server.close();
  });
  afterAll(async () => {
    close();
    await keys.close();
    await client.end();
    await proxy.stop();
    await dropSchema(admin, schema);
  });

  it('answers 503 problem+json in bounded time, keeps serving, and recovers', async () => {
    const call = () => fetch(`${url}/api`, { headers: { 'x-api-key': key } });
    expect((await call()).status).toBe(200);
    proxy.cut(2_000);
    const started = Date.now();
    for (let i = 0; i < 8; i++) {
      const res = await call();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ code: 'api_keys_unavailable' });
    }
    expect(Date.now() - started).toBeLessThan(8 * 1000);
    await new Promise((r) => setTimeout(r, 2_500));
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await call()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    // activity gathered while the store was down is written once it is back
    await keys.flush();
    const info = await keys.get(key.split('_')[2] as string);
    expect(info?.uses).toBeGreaterThanOrEqual(2);
    const secret = key.slice(-43);
    // one error line for the outage, not one per refused request
    expect(logger.lines.filter((l) => l.includes('ACCESS_KEYS_UNAVAILABLE'))).toHaveLength(1);
    for (const line of logger.lines) expect(line).not.toContain(secret);
  }, 30_000);
});
