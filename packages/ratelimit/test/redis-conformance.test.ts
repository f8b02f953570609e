import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { redisStore } from '../src/stores/redis.js';
import { describeRateLimitStore } from '../src/testkit.js';
import { deleteKeys, ioredis, nodeRedis, runPrefix } from './redis-support.js';

let admin: Redis;
const prefixes: string[] = [];
beforeAll(() => {
  admin = ioredis();
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(admin, p);
  admin.disconnect();
});

describeRateLimitStore({
  name: 'redis (ioredis)',
  create: () => {
    const prefix = runPrefix('io');
    prefixes.push(prefix);
    const client = ioredis();
    const store = redisStore({ client, prefix, timeoutMs: 2000 });
    return { ...store, shutdown: () => client.disconnect() };
  },
  destroy: (store) => store.shutdown?.(),
});

describeRateLimitStore({
  name: 'redis (node-redis)',
  create: async () => {
    const prefix = runPrefix('node');
    prefixes.push(prefix);
    const client = await nodeRedis();
    const store = redisStore({ client, prefix, timeoutMs: 2000 });
    return {
      ...store,
      shutdown: async () => {
        await client.close();
      },
    };
  },
  destroy: (store) => store.shutdown?.(),
});
