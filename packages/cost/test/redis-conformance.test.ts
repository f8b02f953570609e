import { afterAll } from 'vitest';
import { redisBudgetStore } from '../src/stores/redis.js';
import { testBudgetStore } from '../src/testkit.js';
import { deleteKeys, ioredis, runPrefix } from './redis-support.js';

const client = ioredis();
const prefix = runPrefix('conf');

testBudgetStore('redis', () => redisBudgetStore({ client, prefix }));

afterAll(async () => {
  await deleteKeys(client, prefix);
  client.disconnect();
});
