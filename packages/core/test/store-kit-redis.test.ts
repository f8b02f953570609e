import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import {
  connectionState,
  createGuard,
  isRedisClient,
  type RedisClientLike,
  redisScript,
  type ScriptRunner,
  StoreUnavailableError,
  scriptRunner,
} from '../src/stores/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `kit-test:${randomUUID().slice(0, 8)}:`;

const io = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
const node = createClient({ url: REDIS_URL });
const ready = node.connect();

afterAll(async () => {
  const keys = await io.keys(`${prefix}*`);
  if (keys.length > 0) await io.del(...keys);
  io.disconnect();
  await ready;
  node.destroy();
});

/** A script no other run shares, so whether the server has it cached is up to this test. */
const counter = () =>
  redisScript(`-- ${randomUUID()}
return redis.call('INCRBY', KEYS[1], ARGV[1])`);

describe('redisScript', () => {
  it.each([
    ['ioredis', () => io as RedisClientLike],
    ['node-redis', () => node as unknown as RedisClientLike],
  ])('reloads a script the server forgot (SCRIPT FLUSH) with %s', async (_name, client) => {
    await ready;
    const runner = scriptRunner(client());
    const script = counter();
    const key = `${prefix}${randomUUID()}`;
    expect(await script.run(runner, [key], ['2'])).toBe(2);
    await io.script('FLUSH');
    expect(await io.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(runner, [key], ['3'])).toBe(5);
    expect(await script.run(runner, [key], ['1'])).toBe(6);
  });

  it('passes errors other than NOSCRIPT through', async () => {
    const broken = redisScript("return redis.call('NO_SUCH_COMMAND')");
    await expect(broken.run(scriptRunner(io), [], [])).rejects.toThrow(/NO_SUCH_COMMAND|unknown/i);
  });

  it('tells clients from other objects', () => {
    expect(isRedisClient(io)).toBe(true);
    expect(isRedisClient(node)).toBe(true);
    expect(isRedisClient({ query() {} })).toBe(false);
    expect(isRedisClient(null)).toBe(false);
    expect(() => scriptRunner({} as RedisClientLike, 'myStore')).toThrow(
      'myStore: client must be an ioredis or node-redis client',
    );
  });
});

describe('createGuard over a Redis connection that is cut', () => {
  it('opens the circuit, refuses at once while open, and closes after a probe', async () => {
    const proxy = new TcpProxy(6379);
    await proxy.start();
    const client = new Redis(proxy.urlFor(REDIS_URL), {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    try {
      await vi.waitFor(() => expect(client.status).toBe('ready'));
      const runner = scriptRunner(client);
      const script = counter();
      const key = `${prefix}${randomUUID()}`;
      const guard = createGuard(
        { timeoutMs: 200, maxTimeoutMs: 200, connected: connectionState(client) },
        { failureThreshold: 3, failureRate: 0.5, windowMs: 10_000, cooldownMs: 200 },
        'Test store',
      );
      const incr = (r: ScriptRunner) => script.run(r, [key], ['1']);
      const call = () => guard.run(incr, runner, Number);

      expect(await call()).toBe(1);
      proxy.cut(60_000);
      const reasons: string[] = [];
      while (guard.state() === 'closed') {
        const err = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreUnavailableError);
        reasons.push((err as StoreUnavailableError).reason);
      }
      expect(reasons.length).toBe(3);
      expect(guard.state()).toBe('open');
      const refused = await call().catch((e: unknown) => e);
      expect(refused).toMatchObject({ reason: 'circuit-open', code: 'store_unavailable' });
      expect((refused as Error).message).toBe('Test store unavailable (circuit-open)');

      proxy.cut(0);
      await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 5000 });
      await vi.waitFor(() => expect(guard.state()).toBe('half-open'), { timeout: 5000 });
      expect(await call()).toBe(2);
      expect(guard.state()).toBe('closed');
    } finally {
      client.disconnect();
      await proxy.stop();
    }
  });
});

describe('scriptRunner ping', () => {
  it.each([
    ['ioredis', () => io as RedisClientLike],
    ['node-redis', () => node as unknown as RedisClientLike],
  ])(
    'answers PONG with %s, and through a script for a client without ping()',
    async (_name, client) => {
      await ready;
      const real = client();
      expect(await scriptRunner(real).ping()).toBe('PONG');
      // a wrapper exposing only what the stores need still pings (the script answers PONG)
      const wrapped = Object.create(real, { ping: { value: undefined } }) as RedisClientLike;
      expect(await scriptRunner(wrapped).ping()).toBe('PONG');
    },
  );
});
