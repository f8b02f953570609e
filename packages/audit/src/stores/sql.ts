import type { SqlClient } from '@platform/core';

/** What `pg` Pools and Clients emit when a connection dies outside a query. */
export interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}
export const isErrorEmitter = (c: unknown): c is ErrorEmitter =>
  typeof (c as Partial<ErrorEmitter>).on === 'function' &&
  typeof (c as Partial<ErrorEmitter>).removeListener === 'function';

/** A `pg` Pool: transactions need one connection checked out. */
interface Pool extends SqlClient {
  connect(): Promise<SqlClient & { release(error?: unknown): void }>;
}
const isPool = (c: SqlClient): c is Pool =>
  typeof (c as Partial<Pool>).connect === 'function' && !('waitReady' in c);

/**
 * Reports a lost connection once per episode: the first `lost()` reports, later ones are
 * quiet until `ok()` (a statement went through) ends the episode.
 */
export function connectionWatch(report: (error: unknown, where: string) => void) {
  let down = false;
  return {
    lost(error: unknown) {
      if (down) return;
      down = true;
      const message = error instanceof Error ? error.message : String(error);
      report(
        new Error(
          `PostgreSQL connection lost (${message}); audit writes wait in the queue and are retried`,
          { cause: error },
        ),
        'store-connection',
      );
    },
    ok() {
      down = false;
    },
  };
}

/**
 * Runs `fn` in one transaction. With a `pg` Pool a connection is checked out, and listened
 * to while it is: a connection that dies between two statements emits `error`, which would
 * end the process with no listener (the pool only listens to idle ones). With a single
 * connection (a `pg` Client, PGlite) calls are serialized by `lock` so two transactions
 * never interleave on it.
 */
export function transactor(
  client: SqlClient,
  onError: (error: unknown, where: string) => void = () => undefined,
) {
  let tail: Promise<unknown> = Promise.resolve();
  const lost = (error: Error) => onError(error, 'store-connection');
  return async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> => {
    if (isPool(client)) {
      const conn = await client.connect();
      const listening = isErrorEmitter(conn);
      if (listening) conn.on('error', lost);
      const release = (error?: unknown) => {
        if (listening) conn.removeListener('error', lost);
        conn.release(error);
      };
      try {
        await conn.query('BEGIN');
        const out = await fn(conn);
        await conn.query('COMMIT');
        release();
        return out;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        release(error);
        throw error;
      }
    }
    const run = tail.then(async () => {
      await client.query('BEGIN');
      try {
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

export const ident = (name: string, what: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new TypeError(`${what}: must match [a-z_][a-z0-9_]{0,62}`);
  return `"${name}"`;
};

/** First day of the month of `d` (UTC) and of the next month. */
export function monthOf(d: Date): { from: Date; to: Date; suffix: string } {
  const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  const suffix = `${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { from, to, suffix };
}
