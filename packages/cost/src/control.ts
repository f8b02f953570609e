import { randomUUID } from 'node:crypto';
import { onShutdown, parseOptions } from '@platform/core';
import { DatabaseError } from '@platform/errors';
import {
  type Admission,
  type AdmissionDeps,
  type CallEstimate,
  createAdmission,
} from './admission.js';
import { type CostAlert, consoleLogger, deliverAlert } from './alerts.js';
import { budgetResolver, type CostControlOptions, optionsSchema } from './control-options.js';
import { type Applied, applicable, groupOf, quotaError, type Subject, steps } from './counters.js';
import { type LedgerStats, usageWriter } from './ledger-writer.js';
import type { Budget } from './limits.js';
import { type PricingTable, pricingTable } from './pricing.js';
import type { AdmitResult, BudgetStore, LedgerStore } from './store.js';
import { memoryStore } from './stores/memory.js';

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

export interface CostControl {
  readonly pricing: PricingTable;
  readonly store: BudgetStore;
  readonly ledger: LedgerStore;
  /** Reserves the estimate against every applicable limit or throws QuotaExceededError. */
  admit(call: CallEstimate): Promise<Admission>;
  /** Limits of a tenant (and user / API key) with usage and reset times. */
  status(
    subject: Subject,
  ): Promise<{ tenant: string; timeZone: string; limits: BudgetStatusEntry[] }>;
  budgetOf(tenant: string): Promise<Budget>;
  /** Usage records written, queued, spilled and dropped since start (`dropped` is the only loss). */
  ledgerStats(): LedgerStats;
  /** Waits for alert deliveries in flight and queued usage records (while the ledger answers). */
  flush(): Promise<void>;
  close(): Promise<void>;
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
  const logger = options.logger ?? consoleLogger;
  const callbacks = opts.alerts.onAlert ? [opts.alerts.onAlert as (a: CostAlert) => void] : [];
  const pending = new Set<Promise<void>>();
  const claimed = new Set<string>();
  const budgetOf = budgetResolver(options.budgets);

  const fire = (alert: CostAlert) => {
    const p = deliverAlert(alert, { callbacks, webhook: opts.alerts.webhook, logger }).finally(() =>
      pending.delete(p),
    );
    pending.add(p);
  };

  const thresholds = async (
    group: string,
    tenant: string,
    applied: Applied[],
    values: number[],
    only?: number,
  ) => {
    for (let i = 0; i < applied.length; i++) {
      const a = applied[i] as Applied;
      const used = values[i] ?? 0;
      if (a.rule.max <= 0) continue;
      for (const t of opts.alerts.thresholds) {
        if (only !== undefined && t !== only) continue;
        if (only === undefined && BigInt(used) * 100n < BigInt(t) * BigInt(a.rule.max)) continue;
        const key = `alert:${a.key}:${t}`;
        if (claimed.has(`${group}/${key}`)) continue;
        try {
          const won = await store.claim(group, key, a.window.end + 86_400_000, clock());
          if (claimed.size > 10_000) claimed.clear();
          claimed.add(`${group}/${key}`);
          if (!won) continue;
        } catch (err) {
          logger.warn({ err: String(err) }, 'cost alert claim failed');
          continue;
        }
        fire({
          tenant,
          subject: a.subject,
          scope: a.rule.scope,
          metric: a.rule.metric,
          period: a.rule.period,
          periodKey: a.window.key,
          threshold: t,
          used,
          limit: a.rule.max,
          soft: a.rule.soft,
          at: new Date(clock()).toISOString(),
        });
      }
    }
  };

  const usage = usageWriter(ledger, opts.ledgerQueue, logger);
  const deps: AdmissionDeps = {
    store,
    recordUsage: usage.record,
    pricing,
    clock,
    logger,
    audit: options.audit,
    thresholds,
  };

  const control: CostControl = {
    pricing,
    store,
    ledger,
    budgetOf,
    async admit(call) {
      const now = clock();
      const subject: Subject = { tenant: call.tenant, user: call.user, apiKey: call.apiKey };
      const budget = await budgetOf(call.tenant);
      const group = groupOf(call.tenant);
      const applied = applicable(budget, subject, now);
      const maxOut = call.maxOutputTokens ?? opts.defaultMaxOutputTokens;
      const chain = [call.model];
      const down = opts.onExceeded === 'reject' ? {} : opts.onExceeded.downgrade;
      for (let m = down[call.model]; m && !chain.includes(m); m = down[m]) chain.push(m);
      const id = randomUUID();
      let lastBlock: { index: number; values: number[] } | undefined;
      for (const model of chain) {
        const price = pricing.price(model, now);
        // The dearest rate each token could be billed at: the reservation is an upper bound.
        const inRate = maxOf(price.input, price.cacheWrite, price.cacheRead);
        const outRate = maxOf(price.output, price.reasoning);
        const reservedCost =
          (inRate * BigInt(call.inputTokens) + outRate * BigInt(maxOut) + 999_999n) / 1_000_000n;
        const reserve = steps(applied, {
          calls: 1,
          tokens: call.inputTokens + maxOut,
          nanoUsd: reservedCost,
        });
        let result: AdmitResult;
        try {
          result = await store.admit({
            id,
            group,
            counters: reserve,
            now,
            holdUntil: now + opts.reservationTtlMs,
          });
        } catch (cause) {
          logger.warn({ err: String(cause), tenant: call.tenant }, 'cost budget store failed');
          if (opts.onStoreError === 'deny') {
            throw new DatabaseError(
              'AI budgets cannot be checked right now; please try again shortly.',
              {
                code: 'budget_unavailable',
                status: 503,
                retryable: true,
                retryAfter: 1,
                expose: true,
                cause,
              },
            );
          }
          const unchecked = {
            id,
            subject,
            model,
            price,
            applied: [],
            group,
            requested: call.model,
          };
          return createAdmission(deps, { ...unchecked, timeZone: budget.timeZone });
        }
        if (!result.ok) {
          lastBlock = { index: result.blocked, values: result.values };
          if (applied[result.blocked]?.rule.metric === 'calls') break;
          continue;
        }
        await thresholds(group, call.tenant, applied, result.values);
        return createAdmission(deps, {
          id,
          subject,
          model,
          price,
          applied,
          group,
          requested: call.model,
          timeZone: budget.timeZone,
        });
      }
      const blocked = applied[lastBlock?.index ?? 0] as Applied;
      await thresholds(
        group,
        call.tenant,
        [blocked],
        [lastBlock?.values[lastBlock.index] ?? 0],
        100,
      );
      logger.info({ tenant: call.tenant, limit: blocked.key }, 'cost quota exceeded');
      throw quotaError(blocked, lastBlock?.values[lastBlock.index] ?? 0, now);
    },

    async status(subject) {
      const now = clock();
      const budget = await budgetOf(subject.tenant);
      const applied = applicable(budget, subject, now);
      const values = await store.peek(
        groupOf(subject.tenant),
        applied.map((a) => a.key),
        now,
      );
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
    },

    ledgerStats: usage.stats,

    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
      await usage.flush();
    },

    async close() {
      unregister();
      while (pending.size > 0) await Promise.all([...pending]);
      await usage.close(4_000);
    },
  };
  const unregister = onShutdown(() => control.close(), { name: 'cost', timeoutMs: 5000 });

  return control;
}

function maxOf(...values: bigint[]): bigint {
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  return max;
}

function isLedger(s: unknown): s is LedgerStore {
  return (
    typeof (s as LedgerStore).record === 'function' &&
    typeof (s as LedgerStore).rollups === 'function'
  );
}
