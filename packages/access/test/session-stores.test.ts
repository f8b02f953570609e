import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { memorySessionStore } from '../src/index.js';
import { postgresSessionStore } from '../src/postgres.js';
import { redisSessionStore } from '../src/redis.js';
import { testSessionStore } from '../src/testkit.js';

const run = randomBytes(4).toString('hex');

testSessionStore({ name: 'memory', create: () => memorySessionStore() });

let redis: Redis;
testSessionStore({
  name: 'Redis',
  create: () => {
    redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false });
    return redisSessionStore({ client: redis, prefix: `test:access:${run}:` });
  },
  // Redis expires the keys itself
  skip: ['sweep'],
  destroy: async () => {
    const keys = await redis.keys(`test:access:${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  },
});

let pool: pg.Pool;
const schema = `access_sessions_${run}`;
testSessionStore({
  name: 'PostgreSQL',
  create: () => {
    pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 4 });
    return postgresSessionStore({ client: pool, schema });
  },
  destroy: async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  },
});
