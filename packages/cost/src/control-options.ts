import {
  type DiagnosticsOptions,
  type LifecycleOptions,
  type PartialLogger,
  type PlatformLogger,
  parseOptions,
} from '@platform/core';
import { z } from 'zod';
import type { CostAlert } from './alerts.js';
import { type Budget, type BudgetInput, budgetSchema } from './limits.js';
import type { PricingTable } from './pricing.js';
import type { BudgetStore, LedgerStore } from './store.js';

type BudgetSource = (tenant: string) => BudgetInput | undefined | Promise<BudgetInput | undefined>;

/**
 * Besides the options below: `onError` (core's listener, called with every failure the
 * control handled without throwing) and `shutdown` (default true: closed by core's
 * `shutdown()`; false when the host closes it).
 */
export interface CostControlOptions extends Pick<DiagnosticsOptions, 'onError'>, LifecycleOptions {
  /** Per-tenant budgets: a function, or `{ default, tenants: { id: budget } }`. */
  budgets?: BudgetSource | { default?: BudgetInput; tenants?: Record<string, BudgetInput> };
  pricing?: PricingTable;
  /** Live counters; default a memory store. */
  store?: BudgetStore;
  /** Usage ledger; default the store when it is one, else a memory store. */
  ledger?: LedgerStore;
  /**
   * How usage records wait while the ledger is unreachable: `max` records in memory
   * (default 10,000), then the `spill` NDJSON file when set, else dropped (counted in
   * `ledgerStats()` and logged). A settlement waits at most `writeTimeoutMs` (default 2000)
   * for the ledger before its record is queued.
   */
  ledgerQueue?: {
    max?: number;
    batchSize?: number;
    flushIntervalMs?: number;
    writeTimeoutMs?: number;
    spill?: { path: string };
  };
  /** `'reject'` (default) or downgrade map `{ 'gpt-4o': 'gpt-4o-mini' }`, tried in chain order. */
  onExceeded?: 'reject' | { downgrade: Record<string, string> };
  /** How long an unsettled reservation holds its amounts. Default 10 minutes. */
  reservationTtlMs?: number;
  /**
   * When the budget store fails or times out: `'deny'` (default) answers 503
   * `budget_unavailable`; `'allow'` lets the call through unchecked (still recorded and logged).
   */
  onStoreError?: 'deny' | 'allow';
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
  /**
   * Where alerts, refusals and handled failures are logged. Default: core's process-wide
   * logger. A logger with only `info` and `warn` (the older `CostLogger`) still works.
   */
  logger?: PlatformLogger | PartialLogger;
  /** Epoch ms; inject for tests. */
  clock?: () => number;
}

export const optionsSchema = z.object({
  onExceeded: z
    .union([z.literal('reject'), z.strictObject({ downgrade: z.record(z.string(), z.string()) })])
    .default('reject'),
  reservationTtlMs: z.number().int().min(1000).max(86_400_000).default(600_000),
  onStoreError: z.enum(['deny', 'allow']).default('deny'),
  ledgerQueue: z
    .strictObject({
      max: z.number().int().min(1).max(10_000_000).default(10_000),
      batchSize: z.number().int().min(1).max(10_000).default(200),
      flushIntervalMs: z.number().int().min(0).max(60_000).default(50),
      writeTimeoutMs: z.number().int().min(1).max(60_000).default(2_000),
      spill: z.strictObject({ path: z.string().min(1) }).optional(),
    })
    .default({ max: 10_000, batchSize: 200, flushIntervalMs: 50, writeTimeoutMs: 2_000 }),
  defaultMaxOutputTokens: z.number().int().min(1).max(10_000_000).default(4096),
  onError: z.function().optional(),
  shutdown: z.boolean().default(true),
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

export function budgetResolver(
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
