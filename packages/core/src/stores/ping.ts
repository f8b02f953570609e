import { createGuard, type Guard } from './guard.js';
import type { ScriptRunner } from './redis-client.js';
import type { SqlClient } from './sql.js';

const nothing = () => undefined;
const selectOne = (client: SqlClient) => client.query('SELECT 1');
const redisPing = (runner: ScriptRunner) => runner.ping();

/**
 * A store's `ping()` over PostgreSQL: `SELECT 1` under `guard`, so a dead database rejects
 * with a StoreUnavailableError within the guard's deadline instead of hanging. A store with
 * no guard of its own passes `pingGuard(...)`.
 *
 * @example
 * const ping = sqlPing(pool, pingGuard('Audit store'));
 * await ping();
 */
export function sqlPing(client: SqlClient, guard: Guard): () => Promise<void> {
  return () => guard.run(selectOne, client, nothing);
}

/**
 * A store's `ping()` over Redis: `PING` (through the runner) under the store's guard.
 *
 * @example
 * const ping = redisPingOf(scriptRunner(client), guard);
 */
export function redisPingOf(runner: ScriptRunner, guard: Guard): () => Promise<void> {
  return () => guard.run(redisPing, runner, nothing);
}

/**
 * A fixed deadline and no breaker: for the `ping()` of a store whose other calls have no
 * guard. Default 2000 ms.
 *
 * @example
 * const guard = pingGuard('Flag store', 1000);
 */
export function pingGuard(store: string, timeoutMs = 2000): Guard {
  return createGuard({ timeoutMs, maxTimeoutMs: timeoutMs }, false, store);
}
