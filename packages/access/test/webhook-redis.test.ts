import { randomUUID } from 'node:crypto';
import { createServer, type Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryReplayStore, redisReplayStore, signWebhook, webhookVerifier } from '../src/index.js';
import { testReplayStore } from '../src/testkit.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `access-test:webhooks:${randomUUID().slice(0, 8)}:`;
const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  // a unique prefix holding a handful of keys: KEYS is cheap here
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

testReplayStore({ name: 'memory', create: () => memoryReplayStore() });
testReplayStore({ name: 'redis', create: () => redisReplayStore({ client, prefix }) });

/** A TCP proxy to Redis that the test can cut. */
async function cuttableProxy(): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((inbound) => {
    if (!open) return inbound.destroy();
    const outbound = new Socket();
    outbound.connect(Number(target.port || 6379), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('verifier over the Redis replay store', () => {
  const secret = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
  const body = '{"type":"invoice.paid"}';

  it('refuses a replay seen by another verifier sharing Redis', async () => {
    const a = webhookVerifier({ secrets: secret, replay: redisReplayStore({ client, prefix }) });
    const b = webhookVerifier({ secrets: secret, replay: redisReplayStore({ client, prefix }) });
    const h = signWebhook({ secret, body });
    expect((await a.verify({ header: (n) => h[n], body })).ok).toBe(true);
    expect(await b.verify({ header: (n) => h[n], body })).toMatchObject({ code: 'replayed' });
    // one key per delivery attempt, living twice the tolerance (a timestamp may be ahead too)
    const keys = await client.keys(`${prefix}${h['webhook-id']}.${h['webhook-timestamp']}.*`);
    expect(keys).toHaveLength(1);
    const ttl = await client.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });

  it('answers 503 within the deadline when Redis is cut (fail closed), passes with onStoreError allow', async () => {
    const proxy = await cuttableProxy();
    const cutClient = new Redis(proxy.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    cutClient.on('error', () => {});
    await new Promise((r) => cutClient.once('ready', r));
    const replay = redisReplayStore({
      client: cutClient,
      prefix,
      timeoutMs: 100,
      maxTimeoutMs: 200,
    });
    const errors: unknown[] = [];
    const closed = webhookVerifier({ secrets: secret, replay, onError: (e) => errors.push(e) });
    const open = webhookVerifier({
      secrets: secret,
      replay,
      onStoreError: 'allow',
      onError: () => {},
    });
    proxy.cut();
    const h = signWebhook({ secret, body });
    const started = Date.now();
    expect(await closed.verify({ header: (n) => h[n], body })).toMatchObject({
      ok: false,
      status: 503,
      code: 'store_unavailable',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(errors.length).toBeGreaterThan(0);
    expect((await open.verify({ header: (n) => h[n], body })).ok).toBe(true);
    cutClient.disconnect();
    await proxy.close();
  });
});
