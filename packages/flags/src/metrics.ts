import { counter, gauge } from '@platform/core';
import type { Evaluation } from './model.js';

const evaluations = counter({
  name: 'platform_flags_evaluations_total',
  help: 'Flag evaluations by flag and variant (`default` when code defaults answered, `error` on an evaluation error).',
  labelNames: ['flag', 'variant'],
});

const staleness = gauge({
  name: 'platform_flags_store_staleness_seconds',
  help: 'Seconds since the flag store last answered a refresh (the stalest open client; since start when it never did).',
});

/** Counts one evaluation; call only while `metricsEnabled()`. Unknown flags are not counted (their keys are unbounded). */
export function countEvaluation(flag: string, result: Evaluation): void {
  if (result.errorCode === 'FLAG_NOT_FOUND') return;
  const variant = result.variant ?? (result.errorCode ? 'error' : 'default');
  evaluations.inc({ flag, variant });
}

// One collector for every open client, so two clients make one series: the stalest.
const clients = new Set<() => number>();
let removeCollector: (() => void) | undefined;

/** Reports a client's last successful refresh (epoch ms) to the staleness gauge; returns the remover (call at close). */
export function watchStaleness(lastRefresh: () => number): () => void {
  clients.add(lastRefresh);
  removeCollector ??= staleness.collect(() => {
    if (clients.size === 0) return undefined;
    const now = Date.now();
    let worst = 0;
    for (const last of clients) worst = Math.max(worst, (now - last()) / 1000);
    return worst;
  });
  return () => {
    clients.delete(lastRefresh);
    if (clients.size === 0) {
      removeCollector?.();
      removeCollector = undefined;
    }
  };
}
