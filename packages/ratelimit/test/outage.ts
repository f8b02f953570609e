import { expect } from 'vitest';
import { rateLimiter } from '../src/limiter.js';
import type { LimitResult } from '../src/result.js';
import type { RateLimitStore } from '../src/store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface OutageObservations {
  /** Every answer that started and ended while the store was down. */
  outage: { result: LimitResult; mode: 'open' | 'closed'; ms: number }[];
  /** A check answered by the store (not degraded) after it came back. */
  recovered: boolean;
}

/**
 * 10 loops (half on a fail-open limiter, half on a fail-closed one, both over `store`)
 * check distinct keys every 5 ms; 200 ms in, `down()` takes the store away for 800 ms,
 * then `up()` brings it back and the loops run until one check is answered again (10 s at most).
 */
export async function loadThroughOutage(
  store: RateLimitStore,
  outage: { down: () => unknown; up: () => unknown },
): Promise<OutageObservations> {
  const policies = { name: 'p', limit: 1_000_000, window: '1m' };
  const open = rateLimiter({ name: 'open', policies, store, failMode: 'open', log: false });
  const closed = rateLimiter({ name: 'closed', policies, store, failMode: 'closed', log: false });

  let phase: 'up' | 'down' | 'back' = 'up';
  const seen: OutageObservations = { outage: [], recovered: false };
  let stop = false;
  const loop = async (i: number) => {
    while (!stop) {
      const mode = i % 2 === 0 ? 'open' : 'closed';
      const at = phase;
      const started = performance.now();
      const result = await (mode === 'open' ? open : closed).check(`k${i}`);
      const ms = performance.now() - started;
      if (at === 'down' && phase === 'down') seen.outage.push({ result, mode, ms });
      if (at === 'back' && !result.degraded) seen.recovered = true;
      await sleep(5);
    }
  };
  const loops = Array.from({ length: 10 }, (_, i) => loop(i));
  try {
    await sleep(200);
    phase = 'down';
    await outage.down();
    await sleep(800);
    await outage.up();
    phase = 'back';
    for (let i = 0; i < 200 && !seen.recovered; i++) await sleep(50);
  } finally {
    stop = true;
    await Promise.all(loops);
  }
  return seen;
}

/**
 * Many checks failed during the outage, each answered within `maxMs` in its limiter's mode
 * (open: allowed, closed: refused), and the store answered again afterwards.
 */
export function expectFailModeKept(seen: OutageObservations, maxMs: number): void {
  const afterCut = seen.outage.filter((o) => o.result.degraded);
  expect(afterCut.length).toBeGreaterThan(20);
  expect(Math.max(...seen.outage.map((o) => o.ms))).toBeLessThan(maxMs);
  for (const o of afterCut) expect(o.result.allowed).toBe(o.mode === 'open');
  expect(seen.recovered).toBe(true);
}
