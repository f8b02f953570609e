import { describe, expect, it } from 'vitest';
import type { ReplayStore } from './replay.js';

export interface ReplayStoreSuiteOptions {
  /** Shown in the suite's title. */
  name: string;
  /** A fresh store (its keys must not collide with another run's). */
  store: () => ReplayStore | Promise<ReplayStore>;
  /** Called after the suite (drop keys, close clients). */
  cleanup?: () => Promise<void>;
}

/**
 * The conformance suite every webhook replay store passes: claims are exclusive (also under
 * concurrency), expire after their TTL and can be released.
 *
 * @example
 * replayStoreSuite({ name: 'redis', store: () => redisReplayStore({ client, prefix: 'test:' }) });
 */
export function replayStoreSuite(options: ReplayStoreSuiteOptions): void {
  describe(`replay store conformance: ${options.name}`, () => {
    let n = 0;
    const key = () => `k${Date.now().toString(36)}-${n++}`;

    it('claims a key once', async () => {
      const store = await options.store();
      const k = key();
      expect(await store.claim(k, 60_000)).toBe(true);
      expect(await store.claim(k, 60_000)).toBe(false);
      expect(await store.claim(key(), 60_000)).toBe(true);
    });

    it('gives exactly one of 20 concurrent claims', async () => {
      const store = await options.store();
      const k = key();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(k, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets a key after its TTL', async () => {
      const store = await options.store();
      const k = key();
      expect(await store.claim(k, 50)).toBe(true);
      await new Promise((r) => setTimeout(r, 120));
      expect(await store.claim(k, 50)).toBe(true);
    });

    it('forgets a released key', async () => {
      const store = await options.store();
      const k = key();
      expect(await store.claim(k, 60_000)).toBe(true);
      await store.release(k);
      expect(await store.claim(k, 60_000)).toBe(true);
    });

    if (options.cleanup) it('cleans up', () => options.cleanup?.());
  });
}
