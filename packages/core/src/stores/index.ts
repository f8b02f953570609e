export { type ConnectionWatch, connectionWatch, watchPoolErrors } from './connection.js';
export { StoreUnavailableError, type StoreUnavailableReason } from './errors.js';
export {
  type BreakerOptions,
  type BreakerState,
  createGuard,
  type DeadlineOptions,
  type Guard,
} from './guard.js';
export { DEFAULT_BREAKER, type GuardOptionsInput, guardOptionsSchema } from './guard-options.js';
export { type MigrateOptions, type MigrateResult, type Migration, migrate } from './migrate.js';
export { pingGuard, redisPingOf, sqlPing } from './ping.js';
export {
  connectionState,
  type IoRedisLike,
  isNoScript,
  isRedisClient,
  type NodeRedisLike,
  type RedisClientLike,
  type ScriptRunner,
  scriptRunner,
} from './redis-client.js';
export { type GuardOptions, redisGuard, redisPrefixSchema } from './redis-guard.js';
export { type RedisScript, redisScript } from './redis-script.js';
export { type SqlClient, sqlIdentifier } from './sql.js';
export { type TransactionOptions, withTransaction } from './transaction.js';
