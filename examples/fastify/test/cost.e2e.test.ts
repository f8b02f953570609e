import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll } from 'vitest';
import { describeCost } from '../../test-support/cost-suite.js';
import { startApp } from '../../test-support/harness.js';

// The Fastify run uses the shared stores: Redis budget counters and the PostgreSQL ledger
// (the Express and Next runs cover the embedded memory stores).
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const id = randomUUID().replaceAll('-', '').slice(0, 10);
const prefix = `cost-e2e-${id}:`;
const schema = `cost_e2e_${id}`;

describeCost((env) =>
  startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      PLATFORM_COST_REDIS_URL: REDIS_URL,
      PLATFORM_COST_REDIS_PREFIX: prefix,
      PLATFORM_COST_DATABASE_URL: DATABASE_URL,
      PLATFORM_COST_SCHEMA: schema,
      ...env,
    },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  }),
);

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});
