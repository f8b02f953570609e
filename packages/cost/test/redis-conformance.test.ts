import { createClient } from 'redis';
import { afterAll } from 'vitest';
import { redisBudgetStore } from '../src/stores/redis.js';
import { testBudgetStore } from '../src/testkit.js';
import { deleteKeys, ioredis, REDIS_URL, runPrefix } from './redis-support.js';

const client = ioredis();
const node = createClient({ url: REDIS_URL });
const connected = node.connect();
const prefix = runPrefix('conf');

testBudgetStore('redis', () => redisBudgetStore({ client, prefix }));
testBudgetStore('redis (node-redis)', async () => {
  await connected;
  return redisBudgetStore({ client: node, prefix: `${prefix}node:` });
});

afterAll(async () => {
  await deleteKeys(client, prefix);
  client.disconnect();
  await connected;
  node.destroy();
});
