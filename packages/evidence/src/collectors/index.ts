export { type AiUsageOptions, aiUsage } from './ai-usage.js';
export { type AuditChainOptions, auditChain } from './audit-chain.js';
export { type AuditEventsOptions, auditEvents } from './audit-events.js';
export { describeConfig, type RetentionOptions, rateLimits, retention } from './config.js';
export { type FlagChangesOptions, flagChanges } from './flags.js';
export { type HeaderTarget, type SecurityHeadersOptions, securityHeaders } from './headers.js';
export { DEFAULT_ACTIONS, type PlatformSources, platformCollectors } from './platform.js';
export {
  type ProcessingRecords,
  processingRecords,
  processingRecordsSchema,
} from './processing-records.js';
export {
  type Cell,
  type CollectContext,
  type Collector,
  type CollectorResult,
  type CollectorStatus,
  collected,
  type EvidenceFile,
  type EvidencePeriod,
  type EvidenceTable,
  type Finding,
  notCollected,
} from './types.js';
