import { defineMicroSuite } from '../micro.js';
import { memoryCases, redisCases } from './ratelimit/cases.js';
import { postgresCases } from './ratelimit/postgres-cases.js';

export default defineMicroSuite({
  name: 'ratelimit',
  description:
    'one rate-limit check on 10k keys, sequential: @platform/ratelimit memory store vs rate-limiter-flexible RateLimiterMemory and express-rate-limit MemoryStore; our Redis store (2 policies, 1 round trip) vs RateLimiterRedis; our PostgreSQL store (2 policies, 1 statement) vs RateLimiterPostgres',
  concurrency: 1,
  cases: [
    ...memoryCases,
    ...redisCases('redis, sequential'),
    ...postgresCases('postgres, sequential'),
  ],
});
