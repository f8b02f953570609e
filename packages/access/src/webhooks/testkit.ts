import { type StoreGetter, type StoreTestOptions, testStore } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { ReplayStore } from './replay.js';

export type ReplayStoreSuite = 'claim' | 'concurrency' | 'expiry' | 'release';

/** Options of `testReplayStore`: the harness's one shape (`@platform/core/testkit`). */
export type ReplayStoreTestOptions<S extends ReplayStore = ReplayStore> = StoreTestOptions<
  S,
  ReplayStoreSuite
>;

let n = 0;
const key = () => `k${Date.now().toString(36)}-${n++}`;

const suites: Record<ReplayStoreSuite, (store: StoreGetter<ReplayStore>) => void> = {
  claim: (store) => {
    it('claims a key once', async () => {
      const k = key();
      expect(await store().claim(k, 60_000)).toBe(true);
      expect(await store().claim(k, 60_000)).toBe(false);
      expect(await store().claim(key(), 60_000)).toBe(true);
    });
  },
  concurrency: (store) => {
    it('gives exactly one of 20 concurrent claims', async () => {
      const k = key();
      const all = await Promise.all(Array.from({ length: 20 }, () => store().claim(k, 60_000)));
      expect(all.filter(Boolean)).toHaveLength(1);
    });
  },
  expiry: (store) => {
    it('forgets a key after its TTL', async () => {
      const k = key();
      expect(await store().claim(k, 50)).toBe(true);
      await new Promise((r) => setTimeout(r, 120));
      expect(await store().claim(k, 50)).toBe(true);
    });
  },
  release: (store) => {
    it('forgets a released key', async () => {
      const k = key();
      expect(await store().claim(k, 60_000)).toBe(true);
      await store().release(k);
      expect(await store().claim(k, 60_000)).toBe(true);
    });
  },
};

/**
 * The conformance suite every webhook replay store passes: a claim is exclusive (also under
 * concurrency), expires after its TTL and can be released.
 *
 * @example
 * testReplayStore({ name: 'redis', create: () => redisReplayStore({ client, prefix: 'test:' }) });
 */
export function testReplayStore<S extends ReplayStore>(options: ReplayStoreTestOptions<S>): void {
  testStore(options, { title: 'webhook replay store conformance', suites });
}
