import { createServer, type Socket } from 'node:net';
import { StoreUnavailableError } from '@platform/core/stores';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../src/keys/provider.js';
import { fieldProtector } from '../src/protector.js';
import { postgresKeyStore } from '../src/stores/postgres.js';

// A real TCP server on loopback that accepts connections and never answers: a database that hangs.
const sockets = new Set<Socket>();
const blackHole = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
const port = (blackHole.address() as { port: number }).port;
const pools: pg.Pool[] = [];
const poolTo = (p: number) => {
  const pool = new pg.Pool({
    host: '127.0.0.1',
    port: p,
    user: 'postgres',
    database: 'test',
    connectionTimeoutMillis: 3_000,
  });
  pools.push(pool);
  return pool;
};

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
});

describe('the PostgreSQL key store when the database is gone', () => {
  it('rejects within its deadline (StoreUnavailableError) when PostgreSQL does not answer, never hangs', async () => {
    const store = postgresKeyStore({
      client: poolTo(port),
      timeoutMs: 200,
      maxTimeoutMs: 200,
      breaker: false,
    });
    const protect = fieldProtector({ keys: memoryKeyProvider(), store });
    const t0 = Date.now();
    const error = await protect
      .encrypt('x', { tenantId: 'acme', aad: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
    await expect(protect.erase({ tenantId: 'acme', subjectId: 'u1' })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });

  it('rejects with the cause when the connection is refused, then opens its circuit', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const store = postgresKeyStore({ client: poolTo(deadPort), timeoutMs: 500 });
    const protect = fieldProtector({ keys: memoryKeyProvider(), store });
    const reasons: string[] = [];
    for (let i = 0; i < 8; i++) {
      const error = await protect
        .decrypt('pe1.AQJrMQAAAAMAAQIDBAUGBwgJCgtlY7J6hYC6euAx--6fihcAofqtJVG_ngKhYOfWwuOlJ6Y', {
          tenantId: 'acme',
          aad: 'a',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      reasons.push((error as StoreUnavailableError).reason);
    }
    expect(reasons[0]).toBe('error');
    expect(reasons.at(-1)).toBe('circuit-open');
    await store.close();
  });
});
