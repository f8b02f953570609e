import { randomUUID } from 'node:crypto';
import { getContext, onShutdown, parseOptions } from '@platform/core';
import { z } from 'zod';
import { type CostAlert, type CostLogger, deliverAlert } from './alerts.js';
import { type Applied, applicable, groupOf, quotaError, type Subject, steps } from './counters.js';
import { type Budget, type BudgetInput, budgetSchema } from './limits.js';
import { localDay } from './periods.js';
import { type Price, type PricingTable, pricingTable } from './pricing.js';
import type { BudgetStore, LedgerStore, Outcome, UsageRecord } from './store.js';
import { memoryStore } from './stores/memory.js';
import { totalTokens, type Usage } from './usage.js';

export interface CallEstimate extends Subject {
  model: string;
  /** Upper bound of the input tokens (see `estimateInputTokens`). */
  inputTokens: number;
  /** The request's max output tokens; `defaultMaxOutputTokens` when it sets none. */
  maxOutputTokens?: number;
}

export interface SettleInput {
  usage: Usage;
  estimated?: boolean;
  outcome?: Outcome;
  durationMs?: number;
}

/** A call admitted against every applicable limit, holding its reservation until settled. */
export interface Admission {
  readonly id: string;
  readonly subject: Subject;
  /** The model to call: the requested one, or a cheaper one when the policy downgraded. */
  readonly model: string;
  readonly downgradedFrom?: string;
  readonly price: Price;
  /** Replaces the reservation with actual usage and writes the usage record. Never throws. */
  settle(input: SettleInput): Promise<UsageRecord>;
  /** Drops the reservation: the call was not made. */
  release(): Promise<void>;
}

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

type BudgetSource = (tenant: string) => BudgetInput | undefined | Promise<BudgetInput | undefined>;

export interface CostControlOptions {
  /** Per-tenant budgets: a function, or `{ default, tenants: { id: budget } }`. */
  budgets?: BudgetSource | { default?: BudgetInput; tenants?: Record<string, BudgetInput> };
  pricing?: PricingTable;
  /** Live counters; default a memory store. */
  store?: BudgetStore;
  /** Usage ledger; default the store when it is one, else a memory store. */
  ledger?: LedgerStore;
  /** `'reject'` (default) or downgrade map `{ 'gpt-4o': 'gpt-4o-mini' }`, tried in chain order. */
  onExceeded?: 'reject' | { downgrade: Record<string, string> };
  /** How long an unsettled reservation holds its amounts. Default 10 minutes. */
  reservationTtlMs?: number;
  /** Output tokens reserved when a request sets no max. Default 4096. */
  defaultMaxOutputTokens?: number;
  alerts?: {
    /** Percent thresholds. Default [50, 80, 100]. */
    thresholds?: number[];
    onAlert?: (alert: CostAlert) => void | Promise<void>;
    webhook?: { url: string; secret: string; timeoutMs?: number };
  };
  /** Receives `ai.usage` events (@platform/audit's trail fits). */
  audit?: { record(event: Record<string, unknown>): unknown };
  logger?: CostLogger;
  /** Epoch ms; inject for tests. */
  clock?: () => number;
}

const optionsSchema = z.object({
  onExceeded: z
    .union([z.literal('reject'), z.strictObject({ downgrade: z.record(z.string(), z.string()) })])
    .default('reject'),
  reservationTtlMs: z.number().int().min(1000).max(86_400_000).default(600_000),
  defaultMaxOutputTokens: z.number().int().min(1).max(10_000_000).default(4096),
  alerts: z
    .strictObject({
      thresholds: z.array(z.number().int().min(1).max(1000)).max(10).default([50, 80, 100]),
      onAlert: z.function().optional(),
      webhook: z
        .strictObject({
          url: z.url(),
          secret: z.string().min(16, 'must be at least 16 characters'),
          timeoutMs: z.number().int().min(1).max(60_000).default(5000),
        })
        .optional(),
    })
    .default({ thresholds: [50, 80, 100] }),
});

const silent: CostLogger = { info() {}, warn() {} };

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
  /** Waits for alert deliveries in flight. */
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
  const logger = options.logger ?? silent;
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
        const result = await store.admit({
          id,
          group,
          counters: reserve,
          now,
          holdUntil: now + opts.reservationTtlMs,
        });
        if (!result.ok) {
          lastBlock = { index: result.blocked, values: result.values };
          if (applied[result.blocked]?.rule.metric === 'calls') break;
          continue;
        }
        await thresholds(group, call.tenant, applied, result.values);
        return admission({
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

    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    async close() {
      unregister();
      await control.flush();
    },
  };
  const unregister = onShutdown(() => control.flush(), { name: 'cost-alerts', timeoutMs: 5000 });

  function admission(a: {
    id: string;
    subject: Subject;
    model: string;
    requested: string;
    price: Price;
    applied: Applied[];
    group: string;
    timeZone: string;
  }): Admission {
    const ctx = getContext();
    const started = clock();
    let done: Promise<UsageRecord> | undefined;
    return {
      id: a.id,
      subject: a.subject,
      model: a.model,
      price: a.price,
      ...(a.model === a.requested ? {} : { downgradedFrom: a.requested }),
      release: () =>
        store
          .release(a.group, a.id, clock())
          .catch((err) => logger.warn({ err: String(err) }, 'cost release failed')),
      settle(input) {
        done ??= (async () => {
          const now = clock();
          const cost = pricing.cost(input.usage, a.price);
          const tokens = totalTokens(input.usage);
          try {
            const counters = steps(a.applied, { calls: 1, tokens, nanoUsd: cost }).map(
              ({ key, amount, expiresAt }) => ({ key, amount, expiresAt }),
            );
            const res = await store.settle({ id: a.id, group: a.group, counters, now });
            await thresholds(a.group, a.subject.tenant, a.applied, res.values);
          } catch (err) {
            logger.warn(
              { err: String(err), reservation: a.id },
              'cost settlement failed; the reservation expires',
            );
          }
          const record: UsageRecord = {
            id: a.id,
            at: now,
            day: localDay(now, a.timeZone),
            tenant: a.subject.tenant,
            ...(a.subject.user === undefined ? {} : { user: a.subject.user }),
            ...(a.subject.apiKey === undefined ? {} : { apiKey: a.subject.apiKey }),
            provider: a.price.provider,
            model: a.model,
            usage: input.usage,
            totalTokens: tokens,
            costNanoUsd: cost,
            priceVersion: a.price.version,
            estimated: input.estimated ?? false,
            outcome: input.outcome ?? 'ok',
            ...(ctx?.requestId === undefined ? {} : { requestId: ctx.requestId }),
            ...(ctx?.traceId === undefined ? {} : { traceId: ctx.traceId }),
            durationMs: input.durationMs ?? now - started,
          };
          try {
            await ledger.record([record]);
          } catch (err) {
            logger.warn({ err: String(err), record: record.id }, 'cost usage record failed');
          }
          try {
            options.audit?.record({
              action: 'ai.usage',
              crud: 'c',
              outcome: record.outcome === 'error' ? 'failure' : 'success',
              tenantId: record.tenant,
              targets: [{ type: 'ai_model', id: record.model }],
              metadata: {
                costNanoUsd: String(cost),
                totalTokens: tokens,
                priceVersion: record.priceVersion,
                usageId: record.id,
              },
            });
          } catch (err) {
            logger.warn({ err: String(err) }, 'cost audit record failed');
          }
          return record;
        })();
        return done;
      },
    };
  }

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

function budgetResolver(
  source: CostControlOptions['budgets'],
): (tenant: string) => Promise<Budget> {
  const none = parseOptions(budgetSchema, { limits: [] }, 'budget');
  if (source === undefined) return async () => none;
  if (typeof source === 'function') {
    return async (tenant) => {
      const b = await source(tenant);
      return b === undefined ? none : parseOptions(budgetSchema, b, `budget of tenant "${tenant}"`);
    };
  }
  const def =
    source.default === undefined
      ? none
      : parseOptions(budgetSchema, source.default, 'budgets.default');
  const tenants = new Map<string, Budget>();
  for (const [t, b] of Object.entries(source.tenants ?? {})) {
    tenants.set(t, parseOptions(budgetSchema, b, `budgets.tenants.${t}`));
  }
  return async (tenant) => tenants.get(tenant) ?? def;
}
