import { StoreUnavailableError } from '../store.js';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one probe goes through. */
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Guard {
  /**
   * Runs `start(arg)` under the deadline and the breaker, and answers `map(value, arg)`.
   * `arg` and `map` spare the caller a closure and a promise per call.
   */
  run<A, T, R>(start: (arg: A) => Promise<T>, arg: A, map: (value: T, arg: A) => R): Promise<R>;
  state(): BreakerState;
}

const noop = () => undefined;

/** One guarded call in flight. */
interface Call {
  deadline: number;
  settled: boolean;
  probe: boolean;
  reject: (err: unknown) => void;
}

/**
 * A deadline for every call plus a circuit breaker: after `failureThreshold` consecutive
 * failures calls fail at once for `cooldownMs`, then a single probe decides whether the
 * circuit closes again. Every failure surfaces as a StoreUnavailableError.
 *
 * Deadlines share one timer: every call gets the same timeout, so calls expire in the order
 * they started, and a queue swept at the earliest deadline replaces a timer per call (whose
 * set-and-clear costs more than the rest of the guard). The timer holds the process open
 * only while a call is in flight, as a timer per call did.
 */
export function createGuard(timeoutMs: number, breaker: BreakerOptions | false): Guard {
  let failures = 0;
  let openUntil = 0;
  let probing = false;

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
    if (!settle(call)) return false;
    failures = 0;
    openUntil = 0;
    return true;
  };

  const failed = (call: Call, err: unknown) => {
    const reject = call.reject;
    if (!settle(call)) return;
    failures++;
    if (breaker && (call.probe || failures >= breaker.failureThreshold)) {
      openUntil = Date.now() + breaker.cooldownMs;
    }
    reject(
      err instanceof StoreUnavailableError
        ? err
        : new StoreUnavailableError('error', { cause: err }),
    );
  };

  // settle() drops settled calls from the head, so the head is always a call in flight.
  const sweep = () => {
    timer = undefined;
    const now = performance.now();
    while (head < queue.length && (queue[head] as Call).deadline <= now) {
      failed(queue[head] as Call, new StoreUnavailableError('timeout'));
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
    run(start, arg, map) {
      let probe = false;
      if (breaker && openUntil !== 0) {
        if (probing || Date.now() < openUntil) {
          return Promise.reject(new StoreUnavailableError('circuit-open'));
        }
        probing = probe = true;
      }
      return new Promise((resolve, reject) => {
        const call: Call = {
          deadline: performance.now() + timeoutMs,
          settled: false,
          probe,
          reject,
        };
        inFlight++;
        queue.push(call);
        if (timer === undefined) arm(timeoutMs);
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
