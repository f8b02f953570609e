import { completeLogger, diagnostics, manage, parseOptions } from '@platform/core';
import type { Admission, AdmissionDeps, CallEstimate } from './admission.js';
import { admitCall } from './admit.js';
import type { AlertSinks, CostAlert } from './alerts.js';
import { budgetResolver, type CostControlOptions, optionsSchema } from './control-options.js';
import { applicable, groupOf, type Subject } from './counters.js';
import { type LedgerStats, usageWriter } from './ledger-writer.js';
import type { Budget } from './limits.js';
import { type PricingTable, pricingTable } from './pricing.js';
import type { BudgetStore, LedgerStore } from './store.js';
import { memoryStore } from './stores/memory.js';
import { thresholdAlerts } from './threshold-alerts.js';

export type { Admission, CallEstimate, SettleInput } from './admission.js';
export type { CostControlOptions } from './control-options.js';

export interface BudgetStatusEntry {
  metric: string;
  period: string;
  scope: string;
  subject?: string;
  periodKey: string;
  soft: boolean;
  max: number;
  used: number;
  remaining: number;
  resetAt: string;
}

export interface BudgetStatus {
  tenant: string;
  timeZone: string;
  limits: BudgetStatusEntry[];
}

export interface CostControl {
  readonly pricing: PricingTable;
  readonly store: BudgetStore;
  readonly ledger: LedgerStore;
  /** Reserves the estimate against every applicable limit or throws QuotaExceededError. */
  admit(call: CallEstimate): Promise<Admission>;
  /** Limits of a tenant (and user / API key) with usage and reset times. */
  status(subject: Subject): Promise<BudgetStatus>;
  budgetOf(tenant: string): Promise<Budget>;
  /** Usage records written, queued, spilled and dropped since start (`dropped` is the only loss). */
  ledgerStats(): LedgerStats;
  /** Waits for alert deliveries in flight and queued usage records (while the ledger answers). */
  flush(): Promise<void>;
  /**
   * Waits for alert deliveries, then writes the queued usage records (at most 4 s, then
   * they spill or are counted as dropped). Idempotent; the stores stay open (the host owns them).
   */
  close(): Promise<void>;
}

/** The limits of a subject with what the store counted so far. */
async function budgetStatus(
  store: BudgetStore,
  budget: Budget,
  subject: Subject,
  now: number,
): Promise<BudgetStatus> {
  const applied = applicable(budget, subject, now);
  const keys = applied.map((a) => a.key);
  const values = await store.peek(groupOf(subject.tenant), keys, now);
  return {
    tenant: subject.tenant,
    timeZone: budget.timeZone,
    limits: applied.map((a, i) => ({
      metric: a.rule.metric,
      period: a.rule.period,
      scope: a.rule.scope,
      ...(a.subject === undefined ? {} : { subject: a.subject }),
      periodKey: a.window.key,
      soft: a.rule.soft,
      max: a.rule.max,
      used: values[i] ?? 0,
      remaining: Math.max(0, a.rule.max - (values[i] ?? 0)),
      resetAt: new Date(a.window.end).toISOString(),
    })),
  };
}

function alertSinks(alerts: { onAlert?: unknown; webhook?: AlertSinks['webhook'] }): AlertSinks {
  const callback = alerts.onAlert as ((a: CostAlert) => void | Promise<void>) | undefined;
  return { callbacks: callback ? [callback] : [], webhook: alerts.webhook };
}

/**
 * Budget enforcement for AI calls: admission reserves an estimate atomically against every
 * applicable limit, settlement replaces it with the actual usage and writes the usage record.
 *
 * @example
 * const control = costControl({
 *   budgets: { default: { limits: [{ metric: 'money', period: 'day', max: '5.00' }] } },
 * });
 */
export function costControl(options: CostControlOptions = {}): CostControl {
  const opts = parseOptions(optionsSchema, options, 'costControl');
  const pricing = options.pricing ?? pricingTable();
  const store = options.store ?? memoryStore();
  const ledger = options.ledger ?? (isLedger(store) ? store : memoryStore());
  const clock = options.clock ?? Date.now;
  const diag = diagnostics('@platform/cost', {
    logger: completeLogger(options.logger),
    onError: options.onError,
  });
  const budgetOf = budgetResolver(options.budgets);
  const alerts = thresholdAlerts({
    store,
    clock,
    diag,
    thresholds: opts.alerts.thresholds,
    sinks: alertSinks(opts.alerts),
  });
  const usage = usageWriter(ledger, opts.ledgerQueue, diag);
  const admission: AdmissionDeps = {
    store,
    recordUsage: usage.record,
    pricing,
    clock,
    diag,
    audit: options.audit,
    thresholds: alerts.check,
  };
  const admitDeps = { policy: opts, budgetOf, pricing, store, clock, diag, alerts, admission };

  let closing: Promise<void> | undefined;
  const control: CostControl = {
    pricing,
    store,
    ledger,
    budgetOf,
    admit: (call) => admitCall(admitDeps, call),
    async status(subject) {
      const now = clock();
      return budgetStatus(store, await budgetOf(subject.tenant), subject, now);
    },
    ledgerStats: usage.stats,
    async flush() {
      await alerts.settled();
      await usage.flush();
    },
    close() {
      closing ??= (async () => {
        unregister();
        await alerts.settled();
        await usage.close();
      })();
      return closing;
    },
  };
  const unregister = manage('cost', control, opts, 5_000);
  return control;
}

function isLedger(s: unknown): s is LedgerStore {
  return (
    typeof (s as LedgerStore).record === 'function' &&
    typeof (s as LedgerStore).rollups === 'function'
  );
}
