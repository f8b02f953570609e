import type { SqlClient } from '@platform/core';

/** A `pg` Pool: transactions need one connection checked out. */
interface Pool extends SqlClient {
  connect(): Promise<SqlClient & { release(error?: unknown): void }>;
}
const isPool = (c: SqlClient): c is Pool =>
  typeof (c as Partial<Pool>).connect === 'function' && !('waitReady' in c);

/**
 * Runs `fn` in one transaction. With a `pg` Pool a connection is checked out; with a
 * single connection (a `pg` Client, PGlite) calls are serialized by `lock` so two
 * transactions never interleave on it.
 */
export function transactor(client: SqlClient) {
  let tail: Promise<unknown> = Promise.resolve();
  return async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> => {
    if (isPool(client)) {
      const conn = await client.connect();
      try {
        await conn.query('BEGIN');
        const out = await fn(conn);
        await conn.query('COMMIT');
        conn.release();
        return out;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        conn.release(error);
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
