import type { Usage } from '@platform/core/genai';

/**
 * One counter touched by an admission: calls, tokens or nano-USD of one scope and period.
 * Amounts and limits are non-negative safe integers (nano-USD up to ~9 million USD).
 */
export interface CounterStep {
  /** Key within the group, e.g. `t:money:day:2026-11-22`. */
  key: string;
  amount: number;
  /** The counter may not pass this value when `enforce` is set. */
  limit: number;
  /** False for soft limits: counted and alerted, never refused. */
  enforce: boolean;
  /** Epoch ms after which the counter (its period over) may be dropped. */
  expiresAt: number;
}

export interface AdmitRequest {
  /** Reservation id (unique per call). */
  id: string;
  /** All counters of one tenant share a group: one atomic unit, one Redis Cluster slot. */
  group: string;
  counters: CounterStep[];
  now: number;
  /** Epoch ms after which an unsettled reservation is released. */
  holdUntil: number;
}

export type AdmitResult =
  | { ok: true; values: number[] }
  /** `blocked` is the index of the first enforced counter that would pass its limit. */
  | { ok: false; blocked: number; values: number[] };

export interface SettleRequest {
  id: string;
  group: string;
  /** The same keys as at admission (in any order), with the actual amounts. */
  counters: Omit<CounterStep, 'limit' | 'enforce'>[];
  now: number;
}

export interface SettleResult {
  /** False when the reservation had expired (its hold was released; the actual is added anyway). */
  found: boolean;
  values: number[];
}

/**
 * Live counters and reservations. `admit` is the atomic step: it checks every enforced
 * counter and, only if all fit, adds every amount and holds the reservation. `settle`
 * replaces the held amounts with the actual ones. Unsettled reservations are released after
 * `holdUntil` by later calls in the same group.
 */
export interface BudgetStore {
  admit(req: AdmitRequest): Promise<AdmitResult>;
  settle(req: SettleRequest): Promise<SettleResult>;
  /** Drops a reservation without usage (the call was never made). */
  release(group: string, id: string, now: number): Promise<void>;
  /** Current values (committed + held) of counters; 0 when absent. */
  peek(group: string, keys: string[], now: number): Promise<number[]>;
  /** True exactly once per key until `expiresAt`: the once-per-period guard of alerts. */
  claim(group: string, key: string, expiresAt: number, now: number): Promise<boolean>;
  close?(): Promise<void>;
  /**
   * Resolves when the store's backend answers, rejects otherwise (within the store's
   * deadline, never hanging). Optional; used by health checks (`checkFromStore`).
   */
  ping?(): Promise<void>;
}

export type Outcome = 'ok' | 'error' | 'cut';

/** One settled AI call. Money is nano-USD. */
export interface UsageRecord {
  id: string;
  /** Epoch ms of settlement. */
  at: number;
  /** Calendar day of `at` in the tenant's time zone. */
  day: string;
  tenant: string;
  user?: string;
  apiKey?: string;
  provider: string;
  model: string;
  usage: Usage;
  totalTokens: number;
  costNanoUsd: bigint;
  /** The pricing entry used: `<table version>:<model>@<effectiveFrom>`. */
  priceVersion: string;
  /** True when the usage is an estimate (stream cut, provider sent none). */
  estimated: boolean;
  outcome: Outcome;
  requestId?: string;
  traceId?: string;
  durationMs?: number;
}

/** What rollups add up: calls, core's token split and the exact cost in nano-USD. */
export interface UsageTotals extends Usage {
  calls: number;
  costNanoUsd: bigint;
}

/** Usage and cost of one tenant, user and model on one day. */
export interface RollupRow extends UsageTotals {
  day: string;
  tenant: string;
  /** Empty string when calls had no user. */
  user: string;
  model: string;
}

export interface RecordQuery {
  tenant?: string;
  requestId?: string;
  /** Epoch ms, inclusive / exclusive. */
  from?: number;
  to?: number;
  limit?: number;
}

export interface RollupQuery {
  tenant?: string;
  /** `YYYY-MM-DD`, inclusive. */
  fromDay: string;
  toDay: string;
}

/** The usage ledger with daily rollups. `record` is idempotent by record id. */
export interface LedgerStore {
  record(records: UsageRecord[]): Promise<void>;
  /** Newest first. */
  records(query: RecordQuery): Promise<UsageRecord[]>;
  /** Sorted by day, tenant, user, model. */
  rollups(query: RollupQuery): Promise<RollupRow[]>;
  close?(): Promise<void>;
  /**
   * Resolves when the store's backend answers, rejects otherwise (within the store's
   * deadline, never hanging). Optional; used by health checks (`checkFromStore`).
   */
  ping?(): Promise<void>;
}
