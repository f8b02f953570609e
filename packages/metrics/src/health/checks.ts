import { type SqlClient, watchPoolErrors } from '@platform/core/stores';
import type { CheckOutcome, HealthCheck } from './probe.js';

/** What every built-in check accepts besides its client. */
export type CheckOptions = Partial<Omit<HealthCheck, 'check' | 'close'>>;

interface PoolCounts {
  totalCount?: unknown;
  idleCount?: unknown;
  waitingCount?: unknown;
}

/**
 * A PostgreSQL check: `SELECT 1` through a `pg` Pool or Client (or PGlite). A Pool's
 * connection counts go in `details`. It listens for the pool's `'error'` events, so a
 * connection that dies while idle is reported (`details.last_connection_error`) instead of
 * ending a process that had no listener of its own.
 *
 * @example
 * health({ checks: [postgresCheck(pool)] });
 */
export function postgresCheck(client: SqlClient, options: CheckOptions = {}): HealthCheck {
  if (typeof client?.query !== 'function') {
    throw new TypeError(
      'postgresCheck: client must be a pg Pool or Client (anything with query())',
    );
  }
  let lastError: string | undefined;
  const unwatch = watchPoolErrors(client, (error) => {
    lastError = error.message;
  });
  return {
    name: 'postgres',
    ...options,
    async check(): Promise<CheckOutcome> {
      await client.query('SELECT 1');
      const pool = client as PoolCounts;
      const details: Record<string, unknown> = {};
      if (typeof pool.totalCount === 'number') {
        Object.assign(details, {
          total: pool.totalCount,
          idle: pool.idleCount,
          waiting: pool.waitingCount,
        });
      }
      if (lastError !== undefined) details.last_connection_error = lastError;
      return { details };
    },
    close: unwatch,
  };
}

interface RedisPing {
  ping(): Promise<unknown>;
  status?: unknown;
  isReady?: unknown;
}

/**
 * A Redis check: `PING` through an ioredis or node-redis client; the client's connection
 * state goes in `details`.
 *
 * @example
 * health({ checks: [redisCheck(new Redis(process.env.REDIS_URL))] });
 */
export function redisCheck(client: RedisPing, options: CheckOptions = {}): HealthCheck {
  if (typeof client?.ping !== 'function') {
    throw new TypeError(
      'redisCheck: client must be an ioredis or node-redis client (anything with ping())',
    );
  }
  return {
    name: 'redis',
    ...options,
    async check(): Promise<CheckOutcome> {
      const reply = await client.ping();
      const details: Record<string, unknown> = {};
      if (typeof client.status === 'string') details.connection = client.status;
      if (typeof client.isReady === 'boolean') details.ready = client.isReady;
      if (reply !== 'PONG')
        return { status: 'degraded', message: `PING answered ${String(reply)}`, details };
      return { details };
    },
  };
}

/** Anything with a `ping()`: a store, a client, a service wrapper. */
export interface Pingable {
  ping(signal?: AbortSignal): Promise<unknown> | unknown;
}

/**
 * A check over any object with a `ping()` that rejects (or throws) when the dependency is
 * down. The `@platform` stores have no `ping()`: check the client you gave them instead.
 *
 * @example
 * health({ checks: [checkFromStore('search', { ping: () => search.cluster.health() })] });
 */
export function checkFromStore(
  name: string,
  store: Pingable,
  options: CheckOptions = {},
): HealthCheck {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('checkFromStore: name must be a non-empty string');
  if (typeof store?.ping !== 'function')
    throw new TypeError(`checkFromStore(${name}): store has no ping()`);
  return {
    ...options,
    name,
    async check(signal) {
      await store.ping(signal);
    },
  };
}
