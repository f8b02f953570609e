export { describeWait, describeWindow, parseDuration } from './duration.js';
export { type EnvOptions, limiterOptionsFromEnv, policyFromEnv } from './env.js';
export type {
  DecisionEvent,
  DecisionHook,
  DenyEvent,
  DenyLogger,
  LimiterLogEvent,
  StoreHealthEvent,
} from './events.js';
export {
  type HeaderSettings,
  limitHeader,
  policyHeader,
  rateLimitHeaders,
  retryAfterSeconds,
} from './headers.js';
export {
  friendlyMessage,
  type HttpDenial,
  type Limiters,
  limitRequest,
  type RequestLimitState,
  requestLimitState,
} from './http.js';
export type { KeyFunction, KeyPart, LimitInput } from './keys.js';
export { type CheckOptions, type RateLimiter, rateLimiter } from './limiter.js';
export type { RateLimiterOptions } from './options.js';
export type { CompiledPolicy, CostFunction, LimitFunction, PolicyOptions } from './policy.js';
export type { LimitResult, PolicyResult } from './result.js';
export { type RoleLimits, resolveRoleLimit } from './roles.js';
export {
  type Algorithm,
  type RateLimitStore,
  type StoreCheck,
  type StoreDecision,
  type StoreKey,
  type StoreOutcome,
  StoreUnavailableError,
} from './store.js';
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from './stores/memory.js';
