import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSessions,
  memorySessionStore,
  type SessionStore,
  sessionHandlers,
} from '../src/index.js';
import { postgresSessionStore } from '../src/postgres.js';
import { redisSessionStore } from '../src/redis.js';
import { serveExpress } from './express-app.js';
import { expectProblem } from './support.js';

const secret = 'outage-secret-of-at-least-32-bytes-long';

// Nothing listens on port 1: every call fails. The session check must answer 503 promptly,
// never let a request through and never throw into the host.
describe('session store outages fail closed with 503, fast', () => {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 1,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  const pool = new pg.Pool({
    connectionString: 'postgres://postgres@127.0.0.1:1/test',
    connectionTimeoutMillis: 300,
  });
  pool.on('error', () => {});
  redis.on('error', () => {});
  afterAll(async () => {
    redis.disconnect();
    await pool.end();
  });

  const stores: [string, SessionStore][] = [
    ['Redis', redisSessionStore({ client: redis, timeoutMs: 200 })],
    ['PostgreSQL', postgresSessionStore({ client: pool, timeoutMs: 200 })],
  ];

  it.each(stores)('%s: authenticate answers 503, refresh answers 503', async (_name, down) => {
    // tokens issued while the store was up (same secret, another store)
    const issuing = createSessions({ store: memorySessionStore(), secret });
    const pair = await issuing.issue({ userId: 'u', roles: ['admin'] });
    const sessions = createSessions({ store: down, secret });
    const { url, close } = await serveExpress({ auth: { credentials: sessions.credential() } });
    try {
      const started = Date.now();
      const res = await fetch(`${url}/admin`, {
        headers: { authorization: `Bearer ${pair.accessToken}` },
      });
      await expectProblem(res, 503, 'access_unavailable');
      expect(res.headers.get('retry-after')).toBe('1');
      expect(Date.now() - started).toBeLessThan(3000);
      const refresh = await sessionHandlers(sessions).refresh({
        method: 'POST',
        path: '/auth/refresh',
        base: '',
        query: new URLSearchParams(),
        header: (name) => (name === 'cookie' ? `refresh_token=${pair.refreshToken}` : undefined),
      });
      expect(refresh?.status).toBe(503);
    } finally {
      await close();
    }
  });
});
