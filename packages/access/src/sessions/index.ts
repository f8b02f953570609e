export type { CookieOptions, ResolvedCookies } from './cookies.js';
export { type SessionHandlers, sessionHandlers } from './handlers.js';
export { type MemorySessionStoreOptions, memorySessionStore } from './memory.js';
export {
  createSessions,
  type SessionEngine,
  type SessionSubject,
  type SessionsOptions,
  type TokenPair,
  ttlSeconds,
} from './sessions.js';
export type { RotateResult, SessionRecord, SessionStore } from './store.js';
