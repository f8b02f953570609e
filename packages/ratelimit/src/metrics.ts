import { counter, histogram } from '@platform/core';
import type { LimitResult, PlannedCheck } from './result.js';

const decisions = counter({
  name: 'platform_ratelimit_decisions_total',
  help: 'Rate-limit decisions per policy checked: allowed, refused (also in dry-run) or store_failure.',
  labelNames: ['limiter', 'policy', 'outcome'],
});

const storeDuration = histogram({
  name: 'platform_ratelimit_store_duration_seconds',
  help: 'Time the rate-limit store took to answer a check (also when it failed).',
  labelNames: ['limiter', 'store'],
  buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
});

/**
 * Records what one limiter decides. Called only while `metricsEnabled()`: without a backend
 * the limiter does not read the clock or build labels at all.
 */
export class LimiterMetrics {
  readonly #limiter: string;
  readonly #store: string;

  constructor(limiter: string, store: string | undefined) {
    this.#limiter = limiter;
    this.#store = store ?? 'custom';
  }

  /** The store answered (or failed) `started` (a `performance.now()`) ago. */
  storeTook(started: number): void {
    const seconds = (performance.now() - started) / 1000;
    storeDuration.observe({ limiter: this.#limiter, store: this.#store }, seconds);
  }

  /** One count per policy the store judged. */
  decided(result: LimitResult): void {
    for (const p of result.policies) {
      decisions.inc({
        limiter: this.#limiter,
        policy: p.policy,
        outcome: p.allowed ? 'allowed' : 'refused',
      });
    }
  }

  /** One count per policy the store could not judge. */
  failed(checks: readonly PlannedCheck[]): void {
    for (const c of checks) {
      decisions.inc({ limiter: this.#limiter, policy: c.policy, outcome: 'store_failure' });
    }
  }
}
