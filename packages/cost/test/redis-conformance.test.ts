import { redisBudgetStore } from '../src/stores/redis.js';
import { testBudgetStore } from '../src/testkit.js';
import { deleteKeys, ioredis, runPrefix } from './redis-support.js';

const client = ioredis();
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
