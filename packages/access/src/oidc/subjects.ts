import { parseOptions, type SqlClient } from '@platform/core';
import { migrate, sqlIdentifier } from '@platform/core/stores';
import { z } from 'zod';

/**
 * Remembers which subjects have signed in, so `onFirstLogin` runs once per new subject.
 * `claim` is the atomic step: it records the subject and answers whether it was new, so two
 * concurrent first logins provision once. `release` undoes a claim whose provisioning failed.
 */
export interface SubjectStore {
  claim(provider: string, subject: string): Promise<boolean>;
  release(provider: string, subject: string): Promise<void>;
}

/**
 * Known subjects in process memory: for development and single-process hosts (they are
 * forgotten on restart, so `onFirstLogin` must be idempotent there).
 *
 * @example
 * const subjects = memorySubjects();
 */
export function memorySubjects(): SubjectStore {
  const known = new Set<string>();
  const key = (provider: string, subject: string) => `${provider}\u0000${subject}`;
  return {
    async claim(provider, subject) {
      const k = key(provider, subject);
      if (known.has(k)) return false;
      known.add(k);
      return true;
    },
    async release(provider, subject) {
      known.delete(key(provider, subject));
    },
  };
}

const postgresSchema = z.object({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | undefined)?.query === 'function',
    'must be a pg Pool/Client or PGlite',
  ),
  schema: z.string().default('public'),
  table: z.string().default('platform_oidc_subjects'),
});

export type PostgresSubjectsOptions = z.input<typeof postgresSchema>;

/**
 * Known subjects in PostgreSQL (or PGlite): one row per provider and subject, created by a
 * migration on first use. `claim` is one `INSERT … ON CONFLICT DO NOTHING`.
 *
 * @example
 * const subjects = postgresSubjects({ client: pool });
 */
export function postgresSubjects(options: PostgresSubjectsOptions): SubjectStore {
  const o = parseOptions(postgresSchema, options, 'postgresSubjects');
  const schema = sqlIdentifier(o.schema, 'postgresSubjects schema');
  const table = `${schema}.${sqlIdentifier(o.table, 'postgresSubjects table')}`;
  let ready: Promise<unknown> | undefined;
  const migrated = () => {
    ready ??= migrate(o.client, {
      component: `access.oidc.${o.table}`,
      schema: o.schema,
      migrations: [
        {
          version: 1,
          up: `CREATE TABLE IF NOT EXISTS ${table} (provider text NOT NULL, subject text NOT NULL, first_seen timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (provider, subject))`,
        },
      ],
    }).catch((err) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  return {
    async claim(provider, subject) {
      await migrated();
      const { rows } = await o.client.query(
        `INSERT INTO ${table} (provider, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING subject`,
        [provider, subject],
      );
      return rows.length === 1;
    },
    async release(provider, subject) {
      await migrated();
      await o.client.query(`DELETE FROM ${table} WHERE provider = $1 AND subject = $2`, [
        provider,
        subject,
      ]);
    },
  };
}
