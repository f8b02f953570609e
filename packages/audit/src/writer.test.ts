import { readFileSync } from 'node:fs';
import { retryDelay } from '@platform/core/batch-writer';
import { describe, expect, it } from 'vitest';
import { flakyStore, quiet, spillFile } from '../test/trail-support.js';
import { auditTrail } from './trail.js';

/** Attempts a store down for `windowMs` sees: the first, then one after each completed wait. */
function attemptsIn(windowMs: number, initialMs: number, maxMs: number, random: () => number) {
  let t = 0;
  let attempts = 1;
  for (let i = 0; ; i++) {
    t += retryDelay(i, initialMs, maxMs, random);
    if (t > windowMs) return attempts;
    attempts++;
  }
}

describe('retry backoff', () => {
  it('keeps a 30 s outage to at most 15 attempts at the defaults, whatever the jitter', () => {
    expect(attemptsIn(30_000, 100, 5_000, () => 0)).toBeLessThanOrEqual(15);
    expect(attemptsIn(30_000, 100, 5_000, () => 0.999)).toBeGreaterThanOrEqual(8);
    expect(retryDelay(100, 100, 5_000, () => 1)).toBe(5_000);
    expect(retryDelay(0, 100, 5_000, () => 0)).toBe(75);
  });

  it('is not woken by new events: attempts stay bounded while events keep queueing and spilling', async () => {
    const { store, inner, state } = flakyStore(true);
    const audit = auditTrail({
      store,
      ...quiet,
      spill: { path: spillFile('audit-backoff') },
      queue: { max: 100, batchSize: 50 },
      retry: { initialMs: 20, maxMs: 300 },
    });
    const windowMs = 2_000;
    const started = Date.now();
    let recorded = 0;
    // about 330 events/s for the whole window, as a busy app keeps recording during the outage
    while (Date.now() - started < windowMs) {
      audit.record({ action: 'order.update', tenantId: 'backoff', metadata: { i: recorded++ } });
      await new Promise((r) => setTimeout(r, 3));
    }
    const during = audit.stats();
    const bound = attemptsIn(Date.now() - started + 50, 20, 300, () => 0);
    console.log(
      `backoff: ${state.attempts} store attempts in ${Date.now() - started} ms at ${recorded} events (bound ${bound})`,
    );
    expect(state.attempts).toBeGreaterThanOrEqual(3);
    expect(state.attempts).toBeLessThanOrEqual(bound);
    expect(during.spilled).toBeGreaterThan(0);
    expect(during.dropped).toBe(0);

    state.down = false;
    await audit.flush();
    expect((await inner.query({ tenantId: 'backoff', limit: 1000 })).events).toHaveLength(recorded);
    expect(audit.stats()).toMatchObject({ stored: recorded, dropped: 0, queued: 0 });
    await audit.close();
  });

  it('still drains on close: a long backoff sleep does not hold shutdown, the queue is spilled', async () => {
    const { store } = flakyStore(true);
    const spill = spillFile('audit-backoff');
    const audit = auditTrail({
      store,
      ...quiet,
      spill: { path: spill },
      retry: { initialMs: 10_000, maxMs: 10_000 },
    });
    for (let i = 0; i < 10; i++) audit.record({ action: 'order.update', tenantId: 'closing' });
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    await audit.close(100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(readFileSync(spill, 'utf8').trim().split('\n')).toHaveLength(10);
    expect(audit.stats()).toMatchObject({ spilled: 10, dropped: 0 });
  });
});
