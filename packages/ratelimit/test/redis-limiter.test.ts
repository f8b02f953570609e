import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiter } from '../src/limiter.js';
import { type RedisStore, redisStore } from '../src/stores/redis.js';
import {
  deleteKeys,
  ioredis,
  type NodeRedisClient,
  nodeRedis,
  runPrefix,
} from './redis-support.js';

let io: Redis;
let node: NodeRedisClient;
const prefix = runPrefix('limiter');
const stores: Record<string, RedisStore> = {};

beforeAll(async () => {
  io = ioredis();
  node = await nodeRedis();
  stores.ioredis = redisStore({ client: io, prefix: `${prefix}io:`, timeoutMs: 2000 });
  stores['node-redis'] = redisStore({ client: node, prefix: `${prefix}node:`, timeoutMs: 2000 });
});
afterAll(async () => {
  await deleteKeys(io, prefix);
  io.disconnect();
  await node.close();
});

describe.each(['ioredis', 'node-redis'])('limiter on Redis (%s)', (client) => {
  it.each(['fixed', 'sliding', 'gcra'] as const)(
    '%s: when the daily policy is exhausted, the per-minute counter is not consumed',
    async (algorithm) => {
      const limiter = rateLimiter({
        name: `multi-${algorithm}`,
        policies: [
          { name: 'per-minute', limit: 20, window: '1m', algorithm },
          { name: 'per-day', limit: 3, window: '1d', algorithm },
        ],
        store: stores[client],
        log: false,
      });
      for (let i = 0; i < 3; i++) expect((await limiter.check('tenant-a')).allowed).toBe(true);
      for (let i = 0; i < 5; i++) {
        const denied = await limiter.check('tenant-a');
        expect(denied).toMatchObject({ allowed: false, policy: 'per-day' });
      }
      const peek = await limiter.check('tenant-a', { cost: 0 });
      expect(peek.policies.map((p) => [p.policy, p.remaining])).toEqual([
        ['per-minute', 17],
        ['per-day', 0],
      ]);
    },
  );

  it('refunds through the same script and keeps blocks across windows', async () => {
    const limiter = rateLimiter({
      name: 'refund-block',
      policies: { name: 'ai', limit: 5, window: '1m', blockDuration: '1h' },
      store: stores[client],
      log: false,
    });
    const spent = await limiter.check('t', { cost: 4 });
    await limiter.refund(spent, { cost: 3 });
    expect((await limiter.check('t', { cost: 0 })).remaining).toBe(4);
    await limiter.check('t', { cost: 4 });
    const blocked = await limiter.check('t');
    expect(blocked).toMatchObject({ allowed: false, retryAfterMs: 3_600_000 });
    await limiter.reset('t');
    expect((await limiter.check('t')).allowed).toBe(true);
  });
});

it('reads states written in the earlier format (%.17g numbers), and writes the same text', async () => {
  const store = redisStore({ client: io, prefix: `${prefix}format:`, timeoutMs: 2000 });
  const now = Number((await io.time())[0]) * 1000;
  const start = now - 1000;
  const check = (key: string, algorithm: 'fixed' | 'sliding' | 'gcra') => ({
    key,
    scope: 's',
    subject: key,
    algorithm,
    limit: 10,
    windowMs: 60_000,
    burst: 10,
    cost: 1,
    blockMs: 0,
  });
  await io.set(`${prefix}format:f`, `f:0:${start}:4:0`, 'PX', 60_000);
  await io.set(`${prefix}format:s`, `s:0:${start}:3:0`, 'PX', 60_000);
  await io.set(`${prefix}format:g`, `g:0:${now + 1500.5}:0:0`, 'PX', 60_000);
  const d = await store.consume([check('f', 'fixed'), check('s', 'sliding'), check('g', 'gcra')]);
  expect(d.outcomes.map((o) => o.remaining)).toEqual([5, 6, 8]);
  expect(await io.get(`${prefix}format:f`)).toBe(`f:0:${start}:5:0`);
  expect(await io.get(`${prefix}format:s`)).toBe(`s:0:${start}:4:0`);
  expect(await io.get(`${prefix}format:g`)).toBe(`g:0:${now + 1500.5 + 6000}:0:0`);
});

it('writes hash-tagged keys: one slot per limiter with several policies, per client with one', async () => {
  const seen: string[][] = [];
  const spy = {
    evalsha: (_sha: string, n: number, ...rest: (string | number)[]) => {
      seen.push(rest.slice(0, n).map(String));
      return io.evalsha(_sha, n, ...rest);
    },
    eval: io.eval.bind(io),
    del: io.del.bind(io),
  };
  const store = redisStore({ client: spy, prefix: `${prefix}tags:`, timeoutMs: 2000 });
  const multi = rateLimiter({
    name: 'api',
    policies: [
      { name: 'm', limit: 5, window: '1m' },
      { name: 'd', limit: 50, window: '1d' },
    ],
    store,
    log: false,
  });
  const single = rateLimiter({
    name: 'solo',
    policies: { name: 'm', limit: 5, window: '1m' },
    store,
    log: false,
  });
  await multi.check('user-1');
  await single.check('user-1');
  expect(seen).toEqual([
    [`${prefix}tags:{api}:m:user-1`, `${prefix}tags:{api}:d:user-1`],
    [`${prefix}tags:solo:m:{user-1}`],
  ]);
});
