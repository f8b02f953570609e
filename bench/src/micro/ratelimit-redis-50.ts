import { defineMicroSuite } from '../micro.js';
import { redisCases } from './ratelimit/cases.js';

export default defineMicroSuite({
  name: 'ratelimit-redis-50',
  description:
    'one rate-limit check on 10k keys with 50 in flight: @platform/ratelimit Redis store (2 policies, 1 round trip) vs rate-limiter-flexible RateLimiterRedis',
  concurrency: 50,
  cases: redisCases('redis, 50 in flight'),
});
