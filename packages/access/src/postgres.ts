// @platform/access/postgres: PostgreSQL (and PGlite) stores.

export {
  type PostgresKeyStore,
  type PostgresKeyStoreOptions,
  postgresKeyStore,
} from './keys/postgres.js';
export { type PostgresSessionStoreOptions, postgresSessionStore } from './sessions/postgres.js';
