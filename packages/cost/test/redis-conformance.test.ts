import { createClient } from 'redis';
import { redisBudgetStore } from '../src/stores/redis.js';
import { testBudgetStore } from '../src/testkit.js';
import { deleteKeys, ioredis, REDIS_URL, runPrefix } from './redis-support.js';

const client = ioredis();
const node = createClient({ url: REDIS_URL });
const connected = node.connect();
const prefix = runPrefix('conf');

testBudgetStore({
  name: 'redis',
  create: () => redisBudgetStore({ client, prefix }),
  destroy: async (store) => {
    await store.close?.();
    await deleteKeys(client, prefix);
    client.disconnect();
  },
});

testBudgetStore({
  name: 'redis (node-redis)',
  create: async () => {
    await connected;
    return redisBudgetStore({ client: node, prefix: `${prefix}node:` });
  },
  destroy: async (store) => {
    await store.close?.();
    const cleaner = ioredis();
    await deleteKeys(cleaner, `${prefix}node:`);
    cleaner.disconnect();
    node.destroy();
  },
});
