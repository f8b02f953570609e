import { describe, expect, it } from 'vitest';
import { block, evaluate, refund, type State } from './algorithms.js';
import type { Algorithm, StoreCheck } from './store.js';

const T0 = 1_700_000_000_000;

function check(algorithm: Algorithm, o: Partial<StoreCheck> = {}): StoreCheck {
  const limit = o.limit ?? 10;
  return {
    key: 'k',
    scope: 's',
    subject: 'k',
    algorithm,
    limit,
    windowMs: 1000,
    burst: limit,
    cost: 1,
    blockMs: 0,
    ...o,
  };
}

/** Applies a check at `now` the way a store does, returning the new state and outcome. */
function apply(state: State | undefined, c: StoreCheck, now: number) {
  const s = evaluate(state, c, now);
  const out = s.allowed ? s : block(s, c, now);
  return { out, state: out.write ? (out as State) : state };
}

function fill(c: StoreCheck, now: number, times: number): State | undefined {
  let state: State | undefined;
  for (let i = 0; i < times; i++) state = apply(state, c, now).state;
  return state;
}

describe('fixed window', () => {
  it('opens at the first request and resets exactly one window later', () => {
    const c = check('fixed');
    const state = fill(c, T0 + 123, 10);
    const denied = evaluate(state, c, T0 + 999);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 124, resetMs: 124 });
    expect(evaluate(state, c, T0 + 1122).allowed).toBe(false);
    expect(evaluate(state, c, T0 + 1123)).toMatchObject({ allowed: true, remaining: 9 });
  });
});

describe('sliding window', () => {
  it('weights the previous window by the part of it still inside the window', () => {
    const c = check('sliding');
    const state = fill(c, T0, 10);
    // 250 ms into the next window, 75% of the previous 10 still count: 7.5 -> 2 more fit.
    const at = T0 + 1250;
    const first = apply(state, c, at);
    const second = apply(first.state, c, at);
    expect(first.out).toMatchObject({ allowed: true, remaining: 1 });
    expect(second.out).toMatchObject({ allowed: true, remaining: 0 });
    expect(evaluate(second.state, c, at).allowed).toBe(false);
  });

  it('forgets the previous window after two windows', () => {
    const c = check('sliding');
    const state = fill(c, T0, 10);
    expect(evaluate(state, c, T0 + 2000)).toMatchObject({ allowed: true, remaining: 9 });
  });
});

describe('gcra', () => {
  it('allows the burst at once, then one unit per emission interval', () => {
    const c = check('gcra', { limit: 10, burst: 3 });
    const state = fill(c, T0, 3);
    const denied = evaluate(state, c, T0);
    expect(denied).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 100, resetMs: 300 });
    expect(evaluate(state, c, T0 + 99).allowed).toBe(false);
    expect(evaluate(state, c, T0 + 100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(evaluate(state, c, T0 + 300)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('handles fractional emission intervals without drifting', () => {
    const c = check('gcra', { limit: 7, windowMs: 60_000 });
    let state: State | undefined;
    let admitted = 0;
    for (let t = 0; t <= 600_000; t += 1000) {
      const r = apply(state, c, T0 + t);
      state = r.state;
      if (r.out.allowed) admitted++;
    }
    // 7 at once, then one per 60000/7 ms for ten minutes.
    expect(admitted).toBe(7 + Math.floor(600_000 / (60_000 / 7)));
  });
});

describe.each(['fixed', 'sliding', 'gcra'] as const)(
  '%s: the reported wait is exact',
  (algorithm) => {
    // A seeded walk through random traffic: whenever a request is refused, it must still be
    // refused 1 ms before `retryAfterMs` and pass exactly at it.
    it('refused at wait - 1 ms, admitted at wait', () => {
      let seed = 42;
      const rand = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const c = check(algorithm, { limit: 7, windowMs: 1000 });
      let state: State | undefined;
      let now = T0;
      let checked = 0;
      for (let i = 0; i < 3000; i++) {
        now += Math.floor(rand() * 120);
        const cost = 1 + Math.floor(rand() * 3);
        const cc = { ...c, cost };
        const s = evaluate(state, cc, now);
        if (s.allowed) {
          if (s.write) state = s;
          continue;
        }
        checked++;
        expect(s.retryAfterMs).toBeGreaterThan(0);
        expect(evaluate(state, cc, now + s.retryAfterMs - 1).allowed).toBe(false);
        expect(evaluate(state, cc, now + s.retryAfterMs).allowed).toBe(true);
      }
      expect(checked).toBeGreaterThan(100);
    });
  },
);

describe('block', () => {
  it('refuses for the block duration, then the algorithm decides again', () => {
    const c = check('fixed', { limit: 1, blockMs: 5000 });
    const first = apply(undefined, c, T0);
    const second = apply(first.state, c, T0 + 10);
    expect(second.out).toMatchObject({ allowed: false, retryAfterMs: 5000 });
    expect(evaluate(second.state, c, T0 + 4000)).toMatchObject({
      allowed: false,
      retryAfterMs: 1010,
    });
    expect(evaluate(second.state, c, T0 + 5010).allowed).toBe(true);
  });
});

describe('refund', () => {
  it.each(['fixed', 'sliding', 'gcra'] as const)('%s: gives units back', (algorithm) => {
    const c = check(algorithm);
    const state = fill(c, T0, 10);
    const back = refund(state, { ...c, cost: 4 }, T0 + 1);
    expect(evaluate(back, c, T0 + 1)).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('never goes below an empty state, and drops state with nothing left', () => {
    const c = check('fixed');
    const state = fill(c, T0, 2);
    expect(refund(state, { ...c, cost: 5 }, T0)).toMatchObject({ b: 0 });
    expect(refund(state, c, T0 + 5000)).toBeUndefined();
    expect(refund(undefined, c, T0)).toBeUndefined();
  });

  it('takes a sliding refund from the current window first, then the previous', () => {
    const c = check('sliding');
    const inPrevious = fill(c, T0, 6);
    const both = apply(inPrevious, { ...c, cost: 2 }, T0 + 1000).state;
    expect(refund(both, { ...c, cost: 3 }, T0 + 1000)).toMatchObject({ b: 0, c: 5 });
  });
});

it('a limit of 0 refuses any cost and reads at cost 0', () => {
  expect(evaluate(undefined, check('gcra', { limit: 0 }), T0).allowed).toBe(false);
  expect(evaluate(undefined, check('gcra', { limit: 0, cost: 0 }), T0).allowed).toBe(true);
});
