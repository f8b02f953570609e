export {
  detectShape,
  fromAnthropic,
  fromOpenAIChat,
  fromOpenAIResponses,
  normalizeUsage,
  type StreamUsage,
  type StreamUsageTracker,
  streamUsage,
  totalTokens,
  type Usage,
  type UsageShape,
  ZERO_USAGE,
} from '@platform/core/genai';
export { type CostAlert, type CostLogger, signWebhook } from './alerts.js';
export { COST_ENDPOINTS, costApiHandler } from './api.js';
export {
  type Admission,
  type BudgetStatus,
  type BudgetStatusEntry,
  type CallEstimate,
  type CostControl,
  type CostControlOptions,
  costControl,
  type SettleInput,
} from './control.js';
export type { Subject } from './counters.js';
export { DEFAULT_PRICING } from './default-pricing.js';
export { estimateInputTokens, type GuardOptions, guard } from './guard.js';
export {
  type CostHandler,
  type CostHandlers,
  type CostHandlersOptions,
  type CostRequest,
  type CostResponse,
  costHandlers,
  type PdfRenderer,
} from './handlers.js';
export type { LedgerStats } from './ledger-writer.js';
export {
  type Budget,
  type BudgetInput,
  describeRule,
  type LimitRule,
  type Metric,
  type Scope,
} from './limits.js';
export { formatUsd, NANO_PER_USD, usd } from './money.js';
export { localDay, type Period, type PeriodWindow, periodWindow } from './periods.js';
export {
  loadPricing,
  type Price,
  type PricingOptions,
  type PricingTable,
  pricingTable,
  UnknownModelError,
} from './pricing.js';
export type { PricingFile, PricingFileInput } from './pricing-schema.js';
export {
  buildReport,
  type Dimension,
  type Granularity,
  periodOf,
  type ReportQuery,
  type ReportRow,
  reportToCsv,
  type UsageReport,
} from './reports.js';
export type {
  AdmitRequest,
  AdmitResult,
  BudgetStore,
  CounterStep,
  LedgerStore,
  Outcome,
  RecordQuery,
  RollupQuery,
  RollupRow,
  SettleRequest,
  SettleResult,
  UsageRecord,
} from './store.js';
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from './stores/memory.js';
export { type WrapOptions, withCostControl } from './wrap.js';
