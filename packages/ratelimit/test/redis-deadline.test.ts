import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiter } from '../src/limiter.js';
import type { LimitResult } from '../src/result.js';
import { StoreUnavailableError } from '../src/store.js';
import { redisStore } from '../src/stores/redis.js';
import { deleteKeys, ioredis, runPrefix } from './redis-support.js';

const TIMEOUT = 50;
// A loaded CI machine may fire a 50 ms timer late; a hang would take seconds.
const SLACK = 450;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

// A server that accepts connections and reads commands but never answers: a hung Redis.
let server: Server;
let port = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('deadlines of calls to a Redis that never answers', () => {
  it('end every call on its own deadline, in the configured mode', async () => {
    const client = ioredis(`redis://127.0.0.1:${port}`, {
      enableReadyCheck: false,
      maxRetriesPerRequest: null,
    });
    await new Promise((resolve) => client.once('connect', resolve));
    const limiter = rateLimiter({
      name: 'hung',
      policies: { name: 'p', limit: 10, window: '1m' },
      store: redisStore({ client, timeoutMs: TIMEOUT, breaker: false }),
      failMode: 'closed',
      log: false,
    });
    const calls: Promise<{ result: LimitResult; ms: number }>[] = [];
    const call = (key: string) => {
      const started = performance.now();
      return limiter.check(key).then((result) => ({ result, ms: performance.now() - started }));
    };
    // three waves, so later calls are still in flight when earlier ones reach their deadline
    for (let wave = 0; wave < 3; wave++) {
      for (let i = 0; i < 10; i++) calls.push(call(`k${wave}-${i}`));
      await sleep(TIMEOUT / 2);
    }
    const answers = await Promise.all(calls);
    for (const { result, ms } of answers) {
      expect(result).toMatchObject({ allowed: false, degraded: true });
      expect(result.error).toBeInstanceOf(StoreUnavailableError);
      expect((result.error as StoreUnavailableError).reason).toBe('timeout');
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT);
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
    }
    client.disconnect();
  });
});

describe('the deadline timer', () => {
  it('holds the process while a call is in flight, and not after (a 60 s timeout)', async () => {
    const client = ioredis();
    const prefix = runPrefix('deadline');
    const limiter = rateLimiter({
      name: 'held',
      policies: { name: 'p', limit: 10, window: '1m' },
      store: redisStore({ client, prefix, timeoutMs: 60_000 }),
      log: false,
    });
    expect((await limiter.check('a')).allowed).toBe(true);
    const idle = timers();
    const pending = limiter.check('a');
    expect(timers()).toBe(idle + 1);
    expect((await pending).allowed).toBe(true);
    expect(timers()).toBe(idle);
    await deleteKeys(client, prefix);
    client.disconnect();
  });
});
