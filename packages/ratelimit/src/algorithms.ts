import type { Algorithm, StoreCheck, StoreOutcome } from './store.js';

/**
 * Per-key state, shared by the three algorithms (the Redis script keeps the same fields):
 * fixed `a` = window start, `b` = count; sliding `a` = window start, `b` = current count,
 * `c` = previous count; GCRA `a` = theoretical arrival time. Times are epoch ms.
 */
export interface State {
  alg: Algorithm;
  blockedUntil: number;
  a: number;
  b: number;
  c: number;
  /** When the state carries no information any more and may be dropped. */
  expiresAt: number;
}

/**
 * One check evaluated against a state: the outcome, and (flat, to save an allocation on the
 * hot path) the state to keep if the step applies.
 */
export interface Step extends StoreOutcome, State {
  /** False when nothing changed (cost 0, or a denial): the state need not be written. */
  write: boolean;
}

// Absorbs float noise of GCRA's fractional emission interval.
const EPS = 1e-6;

function current(prev: State | undefined, alg: Algorithm): State | undefined {
  return prev && prev.alg === alg ? prev : undefined;
}

// Every Step is built here, so all share one object shape.
function step(
  allowed: boolean,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
  write: boolean,
  alg: Algorithm,
  a: number,
  b: number,
  c: number,
  expiresAt: number,
): Step {
  return {
    allowed,
    remaining,
    resetMs,
    retryAfterMs,
    write,
    alg,
    blockedUntil: 0,
    a,
    b,
    c,
    expiresAt,
  };
}

function fixed(st: State | undefined, c: StoreCheck, now: number): Step {
  const win = c.windowMs;
  let start = now;
  let count = 0;
  if (st && now < st.a + win) {
    start = st.a;
    count = st.b;
  }
  const end = start + win;
  if (count + c.cost <= c.limit) {
    const n = count + c.cost;
    const reset = n > 0 ? end - now : 0;
    return step(true, c.limit - n, reset, 0, c.cost > 0, c.algorithm, start, n, 0, end);
  }
  const left = Math.max(0, c.limit - count);
  return step(false, left, end - now, end - now, false, c.algorithm, start, count, 0, end);
}

function sliding(st: State | undefined, c: StoreCheck, now: number): Step {
  const win = c.windowMs;
  const limit = c.limit;
  let start = now;
  let curr = 0;
  let prev = 0;
  if (st) {
    // whole windows that passed roll the current count into the previous one
    start = st.a;
    curr = st.b;
    prev = st.c;
    if (now >= start + win) {
      const k = Math.floor((now - start) / win);
      prev = k === 1 ? curr : 0;
      curr = 0;
      start += k * win;
    }
  }
  const elapsed = now - start;
  // Everything scaled by `win` so the weighted estimate stays an exact integer.
  const weighted = prev * (win - elapsed);
  const cap = limit * win;
  const expiresAt = start + 2 * win;
  if (weighted + (curr + c.cost) * win <= cap) {
    const n = curr + c.cost;
    const left = Math.floor((cap - weighted - n * win) / win);
    const reset = n > 0 ? expiresAt - now : prev > 0 ? start + win - now : 0;
    return step(true, left, reset, 0, c.cost > 0, c.algorithm, start, n, prev, expiresAt);
  }
  let retry: number;
  if (c.cost > limit) retry = expiresAt - now;
  else if (curr + c.cost <= limit) {
    retry = win - Math.floor(((limit - curr - c.cost) * win) / prev) - elapsed;
  } else retry = start + win - now + Math.max(0, win - Math.floor(((limit - c.cost) * win) / curr));
  const left = Math.max(0, Math.floor((cap - weighted - curr * win) / win));
  const reset = curr > 0 ? expiresAt - now : start + win - now;
  return step(false, left, reset, retry, false, c.algorithm, start, curr, prev, expiresAt);
}

function gcra(st: State | undefined, c: StoreCheck, now: number): Step {
  const interval = c.windowMs / c.limit;
  const tolerance = (c.windowMs * c.burst) / c.limit;
  const tat = st ? Math.max(st.a, now) : now;
  const next = tat + c.cost * interval;
  if (next - tolerance <= now + EPS) {
    const left = Math.max(0, Math.floor((now + tolerance - next) / interval + EPS));
    const reset = Math.max(0, Math.ceil(next - now - EPS));
    return step(true, left, reset, 0, c.cost > 0, c.algorithm, next, 0, 0, next);
  }
  const left = Math.max(0, Math.floor((now + tolerance - tat) / interval + EPS));
  const retry = Math.ceil(next - tolerance - now - EPS);
  const reset = Math.max(0, Math.ceil(tat - now - EPS));
  return step(false, left, reset, retry, false, c.algorithm, tat, 0, 0, tat);
}

/**
 * Evaluates one check against the stored state at `now` (store clock, epoch ms): the
 * outcome, and the state to write when `write` is true and the whole step is allowed (or,
 * after `block`, when this check refused). A store that can read, decide and write
 * atomically needs nothing else: the memory store and the Redis script both follow it.
 *
 * @example
 * const step = evaluate(states.get(check.key), check, Date.now());
 * if (step.allowed && step.write) states.set(check.key, step);
 */
export function evaluate(prev: State | undefined, c: StoreCheck, now: number): Step {
  const st = current(prev, c.algorithm);
  if (st && st.blockedUntil > now) {
    const wait = st.blockedUntil - now;
    const s = step(false, 0, wait, wait, false, st.alg, st.a, st.b, st.c, st.expiresAt);
    s.blockedUntil = st.blockedUntil;
    return s;
  }
  if (c.limit <= 0) {
    const ok = c.cost <= 0;
    return step(ok, 0, 0, ok ? 0 : c.windowMs, false, c.algorithm, now, 0, 0, now);
  }
  if (c.algorithm === 'fixed') return fixed(st, c, now);
  if (c.algorithm === 'sliding') return sliding(st, c, now);
  return gcra(st, c, now);
}

/** Turns a denial into a block (when the check has `blockMs`): the state to write and the longer wait it reports. */
export function block(s: Step, c: StoreCheck, now: number): Step {
  if (c.blockMs <= 0 || s.blockedUntil > now) return s;
  const until = now + c.blockMs;
  const reset = Math.max(s.resetMs, c.blockMs);
  const retry = Math.max(s.retryAfterMs, c.blockMs);
  const b = step(false, s.remaining, reset, retry, true, s.alg, s.a, s.b, s.c, s.expiresAt);
  b.blockedUntil = until;
  b.expiresAt = Math.max(s.expiresAt, until);
  return b;
}

/** The state after giving `cost` units back, or undefined when nothing is left to keep. */
export function refund(prev: State | undefined, c: StoreCheck, now: number): State | undefined {
  const st = current(prev, c.algorithm);
  if (!st) return undefined;
  const win = c.windowMs;
  const out: State = {
    alg: st.alg,
    blockedUntil: st.blockedUntil,
    a: st.a,
    b: st.b,
    c: st.c,
    expiresAt: st.expiresAt,
  };
  if (c.algorithm === 'fixed') {
    if (now < st.a + win) out.b = Math.max(0, st.b - c.cost);
  } else if (c.algorithm === 'sliding') {
    const rolled = sliding(st, { ...c, cost: 0 }, now);
    const fromCurrent = Math.min(rolled.b, c.cost);
    out.a = rolled.a;
    out.b = rolled.b - fromCurrent;
    out.c = Math.max(0, rolled.c - (c.cost - fromCurrent));
    out.expiresAt = rolled.expiresAt;
  } else if (c.limit > 0) {
    out.a = Math.max(now, st.a - (c.cost * win) / c.limit);
    out.expiresAt = out.a;
  }
  out.expiresAt = Math.max(out.expiresAt, out.blockedUntil);
  return out.expiresAt > now ? out : undefined;
}
