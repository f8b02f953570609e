import { parseOptions } from '@platform/core';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { block, evaluate, refund, type State } from '../algorithms.js';
import type {
  RateLimitStore,
  StoreCheck,
  StoreDecision,
  StoreKey,
  StoreOutcome,
} from '../store.js';

const schema = z.object({
  maxKeys: z.number().int().min(1).max(50_000_000).default(100_000),
  clock: z
    .custom<() => number>((v) => typeof v === 'function', 'must be a function')
    .default(() => Date.now),
});

export interface MemoryStoreOptions {
  /** Clients (distinct key subjects) kept at most; the least recently seen goes first. Default 100 000. */
  maxKeys?: number;
  /** Epoch-ms clock; for tests. Default `Date.now`. */
  clock?: () => number;
}

export interface MemoryStore extends RateLimitStore {
  /** Synchronous: the whole step runs without yielding, which is what makes it atomic. */
  consume(checks: readonly StoreCheck[]): StoreDecision;
  /** Clients held now, and clients evicted while one of their states still counted. */
  stats(): { keys: number; evictedLive: number };
}

/** A state plus where it belongs; one subject's states (one per policy scope) form a chain. */
interface Entry extends State {
  scope: string;
  next: Entry | undefined;
}

/**
 * The in-process store: bounded (LRU over clients, `maxKeys`), no timer per key (state
 * expires lazily), and atomic because each step runs synchronously. One process only.
 *
 * @example
 * const limiter = rateLimiter({ policies: [{ name: 'api', limit: 20, window: '1m' }], store: memoryStore({ maxKeys: 500_000 }) });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxKeys, clock } = parseOptions(schema, options, 'memoryStore');
  let evictedLive = 0;
  // Keyed by subject, not by the composite key: a client's string is hashed once per
  // lookup instead of a fresh "limiter:policy:client" string per request.
  const cache = new LRUCache<string, Entry>({
    max: maxKeys,
    dispose: (head, _subject, reason) => {
      if (reason !== 'evict') return;
      const now = clock();
      for (let e: Entry | undefined = head; e; e = e.next) {
        if (e.expiresAt > now) {
          evictedLive++;
          return;
        }
      }
    },
  });

  const locate = (k: StoreKey): Entry | undefined => {
    let e = cache.get(k.subject);
    while (e && e.scope !== k.scope) e = e.next;
    return e;
  };

  const write = (k: StoreKey, entry: Entry | undefined, s: State) => {
    if (entry) {
      entry.alg = s.alg;
      entry.blockedUntil = s.blockedUntil;
      entry.a = s.a;
      entry.b = s.b;
      entry.c = s.c;
      entry.expiresAt = s.expiresAt;
      return;
    }
    const { alg, blockedUntil, a, b, c, expiresAt } = s;
    const next = cache.peek(k.subject);
    cache.set(k.subject, { alg, blockedUntil, a, b, c, expiresAt, scope: k.scope, next });
  };

  const live = (e: Entry | undefined, now: number) => (e && e.expiresAt > now ? e : undefined);

  const single = (c: StoreCheck, now: number): StoreDecision => {
    const entry = locate(c);
    let s = evaluate(live(entry, now), c, now);
    if (!s.allowed) s = block(s, c, now);
    if (s.write) write(c, entry, s);
    // a Step is a StoreOutcome; its extra fields are copies, never the stored entry
    return { now, outcomes: [s] };
  };

  return {
    name: 'memory',
    synchronous: true,
    consume(checks) {
      const now = clock();
      if (checks.length === 1) return single(checks[0] as StoreCheck, now);
      const entries = checks.map(locate);
      const steps = checks.map((c, i) => evaluate(live(entries[i], now), c, now));
      const all = steps.every((s) => s.allowed);
      const outcomes: StoreOutcome[] = steps.map((step, i) => {
        const c = checks[i] as StoreCheck;
        const s = all || step.allowed ? step : block(step, c, now);
        if (s.write && (all || !s.allowed)) write(c, entries[i], s);
        return s;
      });
      return { now, outcomes };
    },
    refund(checks) {
      const now = clock();
      for (const c of checks) {
        const entry = locate(c);
        const next = refund(live(entry, now), c, now);
        if (entry) write(c, entry, next ?? { ...entry, blockedUntil: 0, expiresAt: 0 });
      }
    },
    reset(keys) {
      for (const k of keys) {
        const entry = locate(k);
        if (entry) {
          entry.blockedUntil = 0;
          entry.expiresAt = 0;
        }
      }
    },
    shutdown() {
      cache.clear();
    },
    stats: () => ({ keys: cache.size, evictedLive }),
  };
}
