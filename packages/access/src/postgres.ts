export {
  type PostgresKeyStore,
  type PostgresKeyStoreOptions,
  postgresKeyStore,
} from './keys/postgres.js';
