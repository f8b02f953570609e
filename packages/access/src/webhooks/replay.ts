/**
 * Remembers the deliveries already accepted, so a captured request sent again inside the
 * tolerance window is refused. Outside the window the timestamp check refuses it, so entries
 * live as long as the window (twice the tolerance: a timestamp may lie that far ahead too).
 */
export interface ReplayStore {
  /**
   * Records `key` for `ttlMs` and answers true, or answers false when it is already there.
   * Atomic: of two concurrent claims of one key exactly one gets true.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key` (a delivery the host failed to handle may then be sent again). */
  release(key: string): Promise<void>;
  close?(): Promise<void>;
}

export interface MemoryReplayStoreOptions {
  /** Most keys kept; beyond it the oldest is forgotten first. Default 100 000. */
  maxEntries?: number;
  /** Clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * A process-local replay store: bounded, expired keys swept as new ones arrive. Several
 * processes behind one load balancer need `redisReplayStore`.
 *
 * @example
 * const verifier = webhookVerifier({ secrets: [process.env.WEBHOOK_SECRET!], replay: memoryReplayStore() });
 */
export function memoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const max = options.maxEntries ?? 100_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError('memoryReplayStore: maxEntries must be a whole number >= 1');
  }
  const now = options.now ?? Date.now;
  // insertion order is expiry order when every entry has the same TTL; a sweep stops early
  const seen = new Map<string, number>();
  const sweep = (at: number) => {
    for (const [key, expires] of seen) {
      if (expires > at) break;
      seen.delete(key);
    }
  };
  return {
    async claim(key, ttlMs) {
      const at = now();
      const expires = seen.get(key);
      if (expires !== undefined && expires > at) return false;
      seen.delete(key);
      sweep(at);
      if (seen.size >= max) seen.delete(seen.keys().next().value as string);
      seen.set(key, at + ttlMs);
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
}
