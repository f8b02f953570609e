import { randomUUID } from 'node:crypto';
import type { Diagnostics } from '@platform/core';
import { DatabaseError } from '@platform/errors';
import {
  type Admission,
  type AdmissionDeps,
  type CallEstimate,
  createAdmission,
} from './admission.js';
import { type Applied, applicable, groupOf, quotaError, type Subject, steps } from './counters.js';
import type { Budget } from './limits.js';
import type { Price, PricingTable } from './pricing.js';
import type { AdmitRequest, AdmitResult, BudgetStore } from './store.js';
import type { ThresholdAlerts } from './threshold-alerts.js';

/** The admission policy of a control (its parsed options). */
export interface AdmitPolicy {
  onExceeded: 'reject' | { downgrade: Record<string, string> };
  reservationTtlMs: number;
  onStoreError: 'deny' | 'allow';
  defaultMaxOutputTokens: number;
}

/** What admitting a call needs from its control. */
export interface AdmitDeps {
  policy: AdmitPolicy;
  budgetOf(tenant: string): Promise<Budget>;
  pricing: PricingTable;
  store: BudgetStore;
  clock: () => number;
  diag: Diagnostics;
  alerts: ThresholdAlerts;
  admission: AdmissionDeps;
}

/** The limit that refused the last model tried, with the counter values the store saw. */
interface Blocked {
  index: number;
  values: number[];
}

/** The requested model, then each downgrade in turn (stopping before a cycle). */
function modelChain(model: string, onExceeded: AdmitPolicy['onExceeded']): string[] {
  const chain = [model];
  const down = onExceeded === 'reject' ? {} : onExceeded.downgrade;
  for (let m = down[model]; m && !chain.includes(m); m = down[m]) chain.push(m);
  return chain;
}

function maxOf(...values: bigint[]): bigint {
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The dearest rate each token could be billed at: the reservation is an upper bound. */
function reservedCost(price: Price, inputTokens: number, maxOut: number): bigint {
  const inRate = maxOf(price.input, price.cacheWrite, price.cacheRead);
  const outRate = maxOf(price.output, price.reasoning);
  return (inRate * BigInt(inputTokens) + outRate * BigInt(maxOut) + 999_999n) / 1_000_000n;
}

/**
 * Reserves in the store. A failing store is a 503 `budget_unavailable` under
 * `onStoreError: 'deny'`, and `undefined` (let the call through unchecked) under `'allow'`.
 */
async function reserve(
  d: AdmitDeps,
  request: AdmitRequest,
  tenant: string,
): Promise<AdmitResult | undefined> {
  try {
    return await d.store.admit(request);
  } catch (cause) {
    d.diag.error('COST_STORE_FAILED', cause, 'cost budget store failed', { tenant });
    if (d.policy.onStoreError === 'allow') return undefined;
    throw new DatabaseError('AI budgets cannot be checked right now; please try again shortly.', {
      code: 'budget_unavailable',
      status: 503,
      retryable: true,
      retryAfter: 1,
      expose: true,
      cause,
    });
  }
}

/** Every model was refused: alerts the 100% threshold of the limit that blocked, then a 429. */
async function refuse(
  d: AdmitDeps,
  tenant: string,
  applied: Applied[],
  last: Blocked | undefined,
  now: number,
): Promise<never> {
  const blocked = applied[last?.index ?? 0] as Applied;
  const used = last?.values[last.index] ?? 0;
  await d.alerts.check(groupOf(tenant), tenant, [blocked], [used], 100);
  d.diag.info('COST_QUOTA_EXCEEDED', 'cost quota exceeded', { tenant, limit: blocked.key });
  throw quotaError(blocked, used, now);
}

/**
 * Admits a call: reserves its estimate against every applicable limit, trying the
 * downgrade chain while a token or money limit refuses, or throws QuotaExceededError.
 */
export async function admitCall(d: AdmitDeps, call: CallEstimate): Promise<Admission> {
  const now = d.clock();
  const subject: Subject = { tenant: call.tenant, user: call.user, apiKey: call.apiKey };
  const budget = await d.budgetOf(call.tenant);
  const group = groupOf(call.tenant);
  const applied = applicable(budget, subject, now);
  const maxOut = call.maxOutputTokens ?? d.policy.defaultMaxOutputTokens;
  const id = randomUUID();
  const admitted = { id, subject, group, requested: call.model, timeZone: budget.timeZone };
  let last: Blocked | undefined;
  for (const model of modelChain(call.model, d.policy.onExceeded)) {
    const price = d.pricing.price(model, now);
    const counters = steps(applied, {
      calls: 1,
      tokens: call.inputTokens + maxOut,
      nanoUsd: reservedCost(price, call.inputTokens, maxOut),
    });
    const holdUntil = now + d.policy.reservationTtlMs;
    const result = await reserve(d, { id, group, counters, now, holdUntil }, call.tenant);
    if (result === undefined) {
      return createAdmission(d.admission, { ...admitted, model, price, applied: [] });
    }
    if (!result.ok) {
      last = { index: result.blocked, values: result.values };
      if (applied[result.blocked]?.rule.metric === 'calls') break;
      continue;
    }
    await d.alerts.check(group, call.tenant, applied, result.values);
    return createAdmission(d.admission, { ...admitted, model, price, applied });
  }
  return refuse(d, call.tenant, applied, last, now);
}
