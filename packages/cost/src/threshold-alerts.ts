import type { Diagnostics } from '@platform/core';
import { type AlertSinks, type CostAlert, deliverAlert } from './alerts.js';
import type { Applied } from './counters.js';
import { recordAlert, recordUtilization } from './metrics.js';
import type { BudgetStore } from './store.js';

/** The usage alerts of one control: each threshold fires once per tenant, limit and period. */
export interface ThresholdAlerts {
  /**
   * Fires the alert of every threshold `values` crossed on `applied` (only the threshold
   * `only`, when given), claiming it in the store so one process of many sends it.
   */
  check(
    group: string,
    tenant: string,
    applied: Applied[],
    values: number[],
    only?: number,
  ): Promise<void>;
  /** Resolves once every alert delivery in flight finished. */
  settled(): Promise<void>;
}

export interface ThresholdAlertsOptions {
  store: BudgetStore;
  clock: () => number;
  diag: Diagnostics;
  /** Percent thresholds. */
  thresholds: number[];
  sinks: AlertSinks;
}

/** Claims remembered locally so a threshold already claimed is not asked of the store again. */
const CLAIM_MEMORY = 10_000;

function crossed(used: number, max: number, threshold: number, only?: number): boolean {
  if (only !== undefined) return threshold === only;
  return BigInt(used) * 100n >= BigInt(threshold) * BigInt(max);
}

function alertOf(a: Applied, tenant: string, threshold: number, used: number, at: number) {
  return {
    tenant,
    subject: a.subject,
    scope: a.rule.scope,
    metric: a.rule.metric,
    period: a.rule.period,
    periodKey: a.window.key,
    threshold,
    used,
    limit: a.rule.max,
    soft: a.rule.soft,
    at: new Date(at).toISOString(),
  } satisfies CostAlert;
}

/**
 * Threshold alerts over a budget store: `check` after every admission and settlement,
 * `settled` before shutdown. Deliveries run in the background and never throw.
 */
export function thresholdAlerts(o: ThresholdAlertsOptions): ThresholdAlerts {
  const pending = new Set<Promise<void>>();
  const claimed = new Set<string>();

  const fire = (alert: CostAlert) => {
    recordAlert(alert);
    const p = deliverAlert(alert, o.sinks, o.diag).finally(() => pending.delete(p));
    pending.add(p);
  };

  /** True when this process won the alert: the first to claim it in the store. */
  const claim = async (group: string, a: Applied, threshold: number): Promise<boolean> => {
    const key = `alert:${a.key}:${threshold}`;
    if (claimed.has(`${group}/${key}`)) return false;
    try {
      const won = await o.store.claim(group, key, a.window.end + 86_400_000, o.clock());
      if (claimed.size > CLAIM_MEMORY) claimed.clear();
      claimed.add(`${group}/${key}`);
      return won;
    } catch (err) {
      o.diag.error('COST_ALERT_CLAIM_FAILED', err, 'cost alert claim failed');
      return false;
    }
  };

  return {
    async check(group, tenant, applied, values, only) {
      recordUtilization(tenant, applied, values);
      for (let i = 0; i < applied.length; i++) {
        const a = applied[i] as Applied;
        const used = values[i] ?? 0;
        if (a.rule.max <= 0) continue;
        for (const t of o.thresholds) {
          if (!crossed(used, a.rule.max, t, only)) continue;
          if (await claim(group, a, t)) fire(alertOf(a, tenant, t, used, o.clock()));
        }
      }
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
