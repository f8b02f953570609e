import { type Diagnostics, getContext } from '@platform/core';
import { totalTokens, type Usage } from '@platform/core/genai';
import type { Applied, Subject } from './counters.js';
import { steps } from './counters.js';
import { recordRefunded, recordSettled } from './metrics.js';
import { localDay } from './periods.js';
import type { Price, PricingTable } from './pricing.js';
import type { BudgetStore, Outcome, UsageRecord } from './store.js';

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

/** What an admission needs from its control. */
export interface AdmissionDeps {
  store: BudgetStore;
  /** Writes (or queues) one usage record; never throws. */
  recordUsage(record: UsageRecord): Promise<void>;
  pricing: PricingTable;
  clock: () => number;
  diag: Diagnostics;
  audit?: { record(event: Record<string, unknown>): unknown };
  thresholds(group: string, tenant: string, applied: Applied[], values: number[]): Promise<void>;
}

/**
 * The admitted call: settlement replaces the reservation with the actual usage, writes the
 * usage record (with the request and trace ids of the admitting request), and audits it.
 * Failures of the store, ledger or audit are logged, never thrown into the host's request.
 */
export function createAdmission(
  deps: AdmissionDeps,
  a: {
    id: string;
    subject: Subject;
    model: string;
    requested: string;
    price: Price;
    applied: Applied[];
    group: string;
    timeZone: string;
  },
): Admission {
  const { store, pricing, clock, diag } = deps;
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
        .then(recordRefunded)
        .catch((err) => diag.error('COST_RELEASE_FAILED', err, 'cost release failed')),
    settle(input) {
      done ??= (async () => {
        const now = clock();
        const cost = pricing.cost(input.usage, a.price);
        const tokens = totalTokens(input.usage);
        recordSettled(a.subject.tenant, a.model, input.usage, cost);
        try {
          const counters = steps(a.applied, { calls: 1, tokens, nanoUsd: cost }).map(
            ({ key, amount, expiresAt }) => ({ key, amount, expiresAt }),
          );
          const res = await store.settle({ id: a.id, group: a.group, counters, now });
          await deps.thresholds(a.group, a.subject.tenant, a.applied, res.values);
        } catch (err) {
          diag.error('COST_SETTLE_FAILED', err, 'cost settlement failed; the reservation expires', {
            reservation: a.id,
          });
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
        await deps.recordUsage(record);
        try {
          deps.audit?.record({
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
          diag.error('COST_AUDIT_FAILED', err, 'cost audit record failed');
        }
        return record;
      })();
      return done;
    },
  };
}
