import { describe, expect, it } from 'vitest';
import { testRateLimitStore } from '../testkit.js';
import { memoryStore } from './memory.js';

testRateLimitStore({ name: 'memory', create: () => memoryStore() });

const check = (subject: string, cost = 1, scope = 'l:p') =>
  ({
    key: `${scope}:{${subject}}`,
    scope,
    subject,
    algorithm: 'fixed',
    limit: 3,
    windowMs: 60_000,
    burst: 3,
    cost,
    blockMs: 0,
  }) as const;

describe('memoryStore', () => {
  it('holds at most maxKeys, evicting the least recently used', () => {
    const store = memoryStore({ maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) store.consume([check(k)]);
    store.consume([check('a')]);
    store.consume([check('d')]);
    expect(store.stats()).toEqual({ keys: 3, evictedLive: 1 });
    expect(store.consume([check('a', 0)]).outcomes[0]?.remaining).toBe(1);
    expect(store.consume([check('b', 0)]).outcomes[0]?.remaining).toBe(3);
  });

  it('keeps a refused key fresh, so an offender who keeps sending is not evicted', () => {
    const store = memoryStore({ maxKeys: 2 });
    store.consume([check('offender', 3)]);
    store.consume([check('x')]);
    expect(store.consume([check('offender')]).outcomes[0]?.allowed).toBe(false);
    store.consume([check('y')]);
    expect(store.consume([check('offender')]).outcomes[0]?.allowed).toBe(false);
  });

  it('writes nothing for refused or read-only checks, so they cannot churn the cache', () => {
    const store = memoryStore({ maxKeys: 10 });
    store.consume([check('full', 3)]);
    for (let i = 0; i < 50; i++) {
      store.consume([check(`new${i}`, 0)]);
      store.consume([check(`new${i}`), check('full')]);
    }
    expect(store.stats().keys).toBe(1);
  });

  it('keeps one entry per client for all its policies', () => {
    const store = memoryStore({ maxKeys: 10 });
    store.consume([check('u1', 1, 'l:minute'), check('u1', 2, 'l:day')]);
    store.consume([check('u1', 1, 'l:minute')]);
    expect(store.stats().keys).toBe(1);
    expect(store.consume([check('u1', 0, 'l:minute')]).outcomes[0]?.remaining).toBe(1);
    expect(store.consume([check('u1', 0, 'l:day')]).outcomes[0]?.remaining).toBe(1);
  });

  it('expires state lazily on its own clock, without timers', () => {
    let now = 1_000_000;
    const store = memoryStore({ clock: () => now });
    store.consume([check('k', 3)]);
    expect(store.consume([check('k')]).outcomes[0]?.allowed).toBe(false);
    now += 60_000;
    expect(store.consume([check('k')]).outcomes[0]).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('rejects invalid options naming the field', () => {
    expect(() => memoryStore({ maxKeys: 0 })).toThrow(/maxKeys/);
  });
});
