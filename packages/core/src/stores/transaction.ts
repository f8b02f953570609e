import type { SqlClient } from './sql.js';

export interface TransactionOptions {
  /**
   * Hears an `'error'` the checked-out `pg` connection emits while the transaction holds it
   * (the connection died between two statements); the statement in flight fails as well.
   */
  onConnectionError?: (error: Error) => void;
}

/** A `pg` Pool: a transaction needs one connection checked out for all its statements. */
interface Pool extends SqlClient {
  connect(): Promise<PooledConnection>;
  readonly totalCount: number;
}

interface PooledConnection extends SqlClient {
  release(destroy?: unknown): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** PGlite: its own `transaction()` also holds back every other query until it ends. */
interface TransactionRunner extends SqlClient {
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

const hasTransaction = (c: SqlClient): c is TransactionRunner =>
  typeof (c as Partial<TransactionRunner>).transaction === 'function';

const isPool = (c: SqlClient): c is Pool =>
  typeof (c as Partial<Pool>).connect === 'function' && 'totalCount' in c;

const ignore = () => undefined;

/** The last transaction queued on each single connection (a `pg` Client). */
const tails = new WeakMap<SqlClient, Promise<unknown>>();

/**
 * Runs `fn` in one transaction: BEGIN, then COMMIT when it resolves, ROLLBACK when it
 * throws (the error is rethrown). Every statement of the transaction must go through the
 * `tx` it receives. A `pg` Pool lends one connection for the whole transaction (a dead one
 * is destroyed, not returned); PGlite runs it with its own `transaction()`; on a single
 * `pg` Client transactions queue, so two never interleave on the connection.
 *
 * @example
 * await withTransaction(pool, async (tx) => {
 *   await tx.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [10, 'a']);
 *   await tx.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [10, 'b']);
 * });
 */
export function withTransaction<T>(
  client: SqlClient,
  fn: (tx: SqlClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (hasTransaction(client)) return client.transaction(fn);
  if (isPool(client)) return onPooledConnection(client, fn, options.onConnectionError ?? ignore);
  return queued(client, fn);
}

async function onPooledConnection<T>(
  pool: Pool,
  fn: (tx: SqlClient) => Promise<T>,
  onConnectionError: (error: Error) => void,
): Promise<T> {
  const conn = await pool.connect();
  // With no listener, a connection that dies while checked out ends the process: the pool
  // listens to idle connections only.
  conn.on?.('error', onConnectionError);
  let broken: unknown;
  try {
    return await inTransaction(conn, fn);
  } catch (error) {
    broken = await rollback(conn);
    throw error;
  } finally {
    conn.removeListener?.('error', onConnectionError);
    conn.release(broken);
  }
}

function queued<T>(client: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  const run = (tails.get(client) ?? Promise.resolve()).then(() => rolledBackOnError(client, fn));
  tails.set(client, run.catch(ignore));
  return run;
}

async function rolledBackOnError<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, fn);
  } catch (error) {
    await rollback(db);
    throw error;
  }
}

async function inTransaction<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  const out = await fn(db);
  await db.query('COMMIT');
  return out;
}

/** Rolls back; answers the error when the connection could not (it is broken), else undefined. */
async function rollback(db: SqlClient): Promise<unknown> {
  try {
    await db.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error ?? new Error('ROLLBACK failed');
  }
}
