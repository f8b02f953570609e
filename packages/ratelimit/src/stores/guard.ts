import { StoreUnavailableError } from '../store.js';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one probe goes through. */
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Guard {
  run<T>(fn: () => Promise<T>): Promise<T>;
  state(): BreakerState;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreUnavailableError('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * A deadline for every call plus a circuit breaker: after `failureThreshold` consecutive
 * failures calls fail at once for `cooldownMs`, then a single probe decides whether the
 * circuit closes again. Every failure surfaces as a StoreUnavailableError.
 */
export function createGuard(timeoutMs: number, breaker: BreakerOptions | false): Guard {
  let failures = 0;
  let openUntil = 0;
  let probing = false;
  return {
    state() {
      if (openUntil === 0) return 'closed';
      return Date.now() < openUntil ? 'open' : 'half-open';
    },
    async run(fn) {
      let probe = false;
      if (breaker && openUntil !== 0) {
        if (probing || Date.now() < openUntil) throw new StoreUnavailableError('circuit-open');
        probing = probe = true;
      }
      try {
        const value = await withTimeout(fn(), timeoutMs);
        failures = 0;
        openUntil = 0;
        return value;
      } catch (err) {
        failures++;
        if (breaker && (probe || failures >= breaker.failureThreshold)) {
          openUntil = Date.now() + breaker.cooldownMs;
        }
        throw err instanceof StoreUnavailableError
          ? err
          : new StoreUnavailableError('error', { cause: err });
      } finally {
        if (probe) probing = false;
      }
    },
  };
}
