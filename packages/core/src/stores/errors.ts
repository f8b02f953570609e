/** Why a store call failed: no answer in time, the circuit open, or the call itself failed. */
export type StoreUnavailableReason = 'timeout' | 'circuit-open' | 'error';

/**
 * Thrown by guarded stores that could not answer in time, whose circuit is open, or whose
 * call failed (the original error is the `cause`). Callers decide on `reason`: fail open,
 * fail closed, or retry after the breaker's cooldown.
 *
 * @example
 * if (err instanceof StoreUnavailableError && err.reason === 'circuit-open') return fallback();
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';
  constructor(
    readonly reason: StoreUnavailableReason,
    options?: { cause?: unknown; store?: string },
  ) {
    super(`${options?.store ?? 'Store'} unavailable (${reason})`, options);
  }
}
