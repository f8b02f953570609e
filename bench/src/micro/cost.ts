import { randomUUID } from 'node:crypto';
import { type CostControl, costControl, guard, memoryStore } from '@platform/cost';
import { redisBudgetStore } from '@platform/cost/redis';
import { Redis } from 'ioredis';
import { defineMicroSuite } from '../micro.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const budgets = {
  default: {
    limits: [
      { metric: 'calls' as const, period: 'day' as const, max: Number.MAX_SAFE_INTEGER },
      { metric: 'money' as const, period: 'day' as const, max: '9000000.00' },
    ],
  },
};
const response = {
  usage: {
    prompt_tokens: 120,
    completion_tokens: 80,
    prompt_tokens_details: { cached_tokens: 40 },
  },
};

/** One AI call's admission + settlement through guard(), with the provider call free. */
function ours(control: CostControl) {
  return () =>
    guard(
      control,
      { tenant: 'bench', user: 'u1', model: 'gpt-4o-mini', inputTokens: 200, maxOutputTokens: 256 },
      async () => response,
    );
}

let redis: Redis | undefined;
const prefix = `bench-cost:${randomUUID().slice(0, 8)}:`;
const client = () => {
  redis ??= new Redis(REDIS_URL);
  return redis;
};
async function cleanup() {
  if (!redis) return;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export default defineMicroSuite({
  name: 'cost',
  description:
    'one AI call admitted and settled against a call and a money budget: ours vs a plain counter check (the floor)',
  concurrency: 16,
  cases: [
    {
      name: 'floor: Map counter check',
      group: 'memory',
      baseline: true,
      setup: () => {
        const counters = new Map<string, number>();
        return async () => {
          const v = (counters.get('calls') ?? 0) + 1;
          if (v > Number.MAX_SAFE_INTEGER) throw new Error('over');
          counters.set('calls', v);
        };
      },
    },
    {
      name: 'ours: memory store',
      group: 'memory',
      setup: () => ours(costControl({ store: memoryStore({ maxRecords: 1000 }), budgets })),
      verify: async (op) => {
        await op();
      },
    },
    {
      name: 'floor: INCRBY check',
      group: 'redis',
      baseline: true,
      setup: () => {
        const r = client();
        const key = `${prefix}floor`;
        return async () => {
          const v = await r.incrby(key, 1);
          if (v > Number.MAX_SAFE_INTEGER) await r.decrby(key, 1);
        };
      },
    },
    {
      name: 'ours: Redis store (admit + settle)',
      group: 'redis',
      setup: () =>
        ours(
          costControl({
            store: redisBudgetStore({ client: client(), prefix }),
            ledger: memoryStore({ maxRecords: 1000 }),
            budgets,
          }),
        ),
      verify: async (op) => {
        await op();
      },
      teardown: async () => {
        await cleanup();
        redis?.disconnect();
        redis = undefined;
      },
    },
  ],
});
