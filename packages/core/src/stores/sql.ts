import { ConfigError } from '../options.js';

/** The minimal SQL client shape that `pg` (Pool, Client) and PGlite both satisfy. */
export interface SqlClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
}

/** PostgreSQL keeps the first 63 bytes of a name (NAMEDATALEN - 1) and drops the rest silently. */
const MAX_IDENTIFIER = 63;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a schema, table or prefix name a host configured and returns it double-quoted,
 * ready to splice into SQL. Only letters, digits and underscores are accepted (not first a
 * digit), up to `maxLength` characters: pass less than 63 for a prefix the store appends
 * suffixes to, so no name it builds is cut short. Throws a ConfigError naming `what`.
 *
 * @example
 * const schema = sqlIdentifier(options.schema ?? 'public', 'auditStore schema');
 * await client.query(`SELECT count(*) FROM ${schema}.audit_events`);
 */
export function sqlIdentifier(name: string, what: string, maxLength = MAX_IDENTIFIER): string {
  if (typeof name === 'string' && IDENTIFIER.test(name) && name.length <= maxLength) {
    return `"${name}"`;
  }
  const message = `must be a letter or _, then letters, digits or _, at most ${maxLength} characters (got ${JSON.stringify(name)})`;
  throw new ConfigError(`${what} ${message}`, [{ path: what, message }]);
}
