// @platform/access/postgres: PostgreSQL (and PGlite) stores.
export { type PostgresSessionStoreOptions, postgresSessionStore } from './sessions/postgres.js';
