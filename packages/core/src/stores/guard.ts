import { StoreUnavailableError } from './errors.js';

export interface BreakerOptions {
  /** Weighted failures in the window that open the circuit (an error counts 1, a slow answer ¼). */
  failureThreshold: number;
  /** ...and the share of the window's calls they must reach. */
  failureRate: number;
  /** The sliding window failures are counted in. */
  windowMs: number;
  /** How long an open circuit refuses calls before one probe goes through. */
  cooldownMs: number;
}

export interface DeadlineOptions {
  /** The deadline while the store answers fast. */
  timeoutMs: number;
  /** How far the deadline may grow while the store answers, but slowly (3× its recent latency). */
  maxTimeoutMs: number;
  /** False while the client knows its connection is down; undefined when it cannot tell. */
  connected?: () => boolean | undefined;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Guard {
  /**
   * Runs `start(arg)` under the deadline and the breaker, and answers `map(value, arg)`.
   * `arg` and `map` spare the caller a closure and a promise per call.
   */
  run<A, T, R>(start: (arg: A) => Promise<T>, arg: A, map: (value: T, arg: A) => R): Promise<R>;
  state(): BreakerState;
  /** The deadline calls get now. */
  timeoutMs(): number;
}

const noop = () => undefined;

/** One guarded call in flight. */
interface Call {
  started: number;
  deadline: number;
  settled: boolean;
  probe: boolean;
  /** What its timeout added to the window's failures, taken back if the answer comes late. */
  weight: number;
  reject: (err: unknown) => void;
}

/** A timed-out call while the store still answers others: slow, not down. */
const SLOW = 0.25;

/**
 * A deadline for every call plus a circuit breaker that opens on failures that mean "down",
 * never on slowness. Within a sliding `windowMs`: `failureThreshold` errors (connection
 * refused or closed), or timeouts while the client reports its connection down or nothing at
 * all answered for a window, open it; a timeout while the store still answers others counts
 * ¼, and opens it only with the rest once they reach `failureRate` of the window's calls — a
 * healthy but slow store cannot. A late answer takes its timeout's weight back (and closes a
 * circuit it opened). The deadline adapts: it
 * grows to 3× the recent answer time (late answers included), between `timeoutMs` and
 * `maxTimeoutMs`, and decays back by half a second. Every failure surfaces as a
 * StoreUnavailableError; `store` names the store in its message.
 *
 * Deadlines share one timer: calls expire in the order they started (a deadline is never
 * earlier than the one before it), and a queue swept at the earliest deadline replaces a
 * timer per call (whose set-and-clear costs more than the rest of the guard). The timer
 * holds the process open only while a call is in flight, as a timer per call did.
 *
 * @example
 * const guard = createGuard({ timeoutMs: 50, maxTimeoutMs: 1000, connected: connectionState(client) }, DEFAULT_BREAKER, 'My store');
 * const reply = await guard.run(runScript, checks, parseReply);
 */
export function createGuard(
  deadlines: DeadlineOptions,
  breaker: BreakerOptions | false,
  store = 'Store',
): Guard {
  const floor = deadlines.timeoutMs;
  const ceiling = Math.max(floor, deadlines.maxTimeoutMs);
  const connected = deadlines.connected;
  let timeoutMs = floor;
  let latency = 0;
  let latencyAt = 0;
  let lastDeadline = 0;
  let lastAnswer = performance.now();

  let openUntil = 0;
  let probing = false;
  // the window: current and previous counts
  let windowStart = performance.now();
  let calls = 0;
  let score = 0;
  let down = 0;
  let prevCalls = 0;
  let prevScore = 0;
  let prevDown = 0;

  const roll = (now: number) => {
    if (!breaker || now - windowStart < breaker.windowMs) return;
    const fresh = now - windowStart >= 2 * breaker.windowMs;
    prevCalls = fresh ? 0 : calls;
    prevScore = fresh ? 0 : score;
    prevDown = fresh ? 0 : down;
    calls = 0;
    score = 0;
    down = 0;
    windowStart = now;
  };

  const answered = (call: Call, now: number) => {
    lastAnswer = now;
    const sample = now - call.started;
    // a decaying peak: halves every 500 ms unless answers stay slow
    latency = Math.max(sample, latency * 0.5 ** ((now - latencyAt) / 500));
    latencyAt = now;
    timeoutMs = Math.min(ceiling, Math.max(floor, 3 * latency));
  };

  const queue: (Call | undefined)[] = [];
  let head = 0;
  let inFlight = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const settle = (call: Call): boolean => {
    if (call.settled) return false;
    call.settled = true;
    call.reject = noop;
    if (call.probe) probing = false;
    if (--inFlight === 0) timer?.unref();
    // Replies mostly come back in order, so the head settles first: dropping settled calls
    // here keeps the queue about as long as the calls in flight, and nothing a call
    // resolved with outlives it (held for a whole timeout, it would reach the old generation).
    while (head < queue.length && (queue[head] as Call).settled) queue[head++] = undefined;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    return true;
  };

  const succeeded = (call: Call): boolean => {
    const now = performance.now();
    if (!settle(call)) {
      // a late answer: the store is slow, not down
      answered(call, now);
      if (call.weight > 0) {
        score = Math.max(0, score - call.weight);
        call.weight = 0;
        if (openUntil !== 0) openUntil = 0;
      }
      return false;
    }
    answered(call, now);
    if (breaker) {
      roll(now);
      calls++;
    }
    openUntil = 0;
    return true;
  };

  const failed = (call: Call, err: unknown) => {
    const reject = call.reject;
    if (!settle(call)) return;
    if (breaker) {
      const now = performance.now();
      roll(now);
      const timeout = err instanceof StoreUnavailableError && err.reason === 'timeout';
      const isDown = !timeout || connected?.() === false || now - lastAnswer > breaker.windowMs;
      const weight = isDown ? 1 : SLOW;
      if (timeout) call.weight = weight;
      calls++;
      score += weight;
      if (isDown) down++;
      // the previous window counts for the part of it still inside the sliding window
      const part = Math.max(0, 1 - (now - windowStart) / breaker.windowMs);
      const total = score + prevScore * part;
      if (
        (call.probe && isDown) ||
        down + prevDown * part >= breaker.failureThreshold ||
        (total >= breaker.failureThreshold &&
          total >= breaker.failureRate * (calls + prevCalls * part))
      ) {
        openUntil = Date.now() + breaker.cooldownMs;
      } else if (call.probe) openUntil = 0;
    }
    reject(
      err instanceof StoreUnavailableError
        ? err
        : new StoreUnavailableError('error', { cause: err, store }),
    );
  };

  // settle() drops settled calls from the head, so the head is always a call in flight.
  const sweep = () => {
    timer = undefined;
    const now = performance.now();
    while (head < queue.length && (queue[head] as Call).deadline <= now) {
      failed(queue[head] as Call, new StoreUnavailableError('timeout', { store }));
    }
    if (head < queue.length) arm((queue[head] as Call).deadline - now);
  };

  const arm = (ms: number) => {
    timer = setTimeout(sweep, Math.max(1, Math.ceil(ms)));
    if (inFlight === 0) timer.unref();
  };

  return {
    state() {
      if (openUntil === 0) return 'closed';
      return Date.now() < openUntil ? 'open' : 'half-open';
    },
    timeoutMs: () => timeoutMs,
    run(start, arg, map) {
      let probe = false;
      if (breaker && openUntil !== 0) {
        if (probing || Date.now() < openUntil) {
          return Promise.reject(new StoreUnavailableError('circuit-open', { store }));
        }
        probing = probe = true;
      }
      return new Promise((resolve, reject) => {
        const started = performance.now();
        // never earlier than the call before: the queue stays in deadline order
        const deadline = Math.max(started + timeoutMs, lastDeadline);
        lastDeadline = deadline;
        const call: Call = { started, deadline, settled: false, probe, weight: 0, reject };
        inFlight++;
        queue.push(call);
        if (timer === undefined) arm(deadline - started);
        else if (inFlight === 1) timer.ref();
        let pending: ReturnType<typeof start>;
        try {
          pending = start(arg);
        } catch (err) {
          failed(call, err);
          return;
        }
        pending.then(
          (value) => {
            if (!succeeded(call)) return;
            try {
              resolve(map(value, arg));
            } catch (err) {
              reject(err);
            }
          },
          (err) => failed(call, err),
        );
      });
    },
  };
}
