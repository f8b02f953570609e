// @platform/access/redis: Redis stores.
export { type RedisSessionStoreOptions, redisSessionStore } from './sessions/redis.js';
