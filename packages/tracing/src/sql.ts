import { SpanKind } from '@opentelemetry/api';
import { metricsEnabled, type SqlClient } from '@platform/core';
import { observeQuery } from './metrics.js';
import { traced } from './traced.js';

export interface TracedSqlOptions {
  /** `db.system.name` (default `postgresql`). */
  system?: string;
  /** `db.namespace`: the database (and schema) name. */
  namespace?: string;
}

const OPERATION = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/;
const TARGET = /\b(?:FROM|INTO|UPDATE|TABLE|JOIN)\s+("?[\w.]+"?)/i;

/** `SELECT`, `INSERT`, ... (first keyword, after a leading CTE). */
export function sqlOperation(text: string): string | undefined {
  const m = OPERATION.exec(text);
  return m?.[1]?.toUpperCase();
}

/**
 * Wraps a `SqlClient` (`pg` Pool/Client, PGlite) so every query is a CLIENT span
 * named `{operation} {table}` with `db.system.name`, `db.operation.name`,
 * `db.namespace` and the parameterized `db.query.text` (parameter values are never
 * recorded).
 *
 * @example
 * const db = tracedSql(new pg.Pool(), { namespace: 'shop' });
 * await db.query('SELECT * FROM items WHERE id = $1', [id]);
 */
export function tracedSql<C extends SqlClient>(client: C, options: TracedSqlOptions = {}): C {
  const system = options.system ?? 'postgresql';
  const query = (text: string, params?: unknown[]) => {
    const operation = sqlOperation(text);
    const target = TARGET.exec(text)?.[1]?.replaceAll('"', '');
    const name = operation ? (target ? `${operation} ${target}` : operation) : system;
    return traced(
      name,
      (span) => {
        if (span.isRecording()) {
          span.setAttribute('db.system.name', system);
          if (operation) span.setAttribute('db.operation.name', operation);
          if (target) span.setAttribute('db.collection.name', target);
          if (options.namespace) span.setAttribute('db.namespace', options.namespace);
          span.setAttribute('db.query.text', text.length > 2048 ? `${text.slice(0, 2048)}…` : text);
        }
        if (!metricsEnabled()) return client.query(text, params);
        const started = performance.now();
        const done = () => observeQuery(operation, started);
        const result = client.query(text, params);
        result.then(done, done);
        return result;
      },
      { kind: SpanKind.CLIENT, layer: 'db' },
    );
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query') return query;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
