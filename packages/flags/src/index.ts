export {
  type AdminRequest,
  type AdminResponse,
  type FlagAdmin,
  type FlagAdminOptions,
  flagAdmin,
} from './admin.js';
export { EvaluationCounter } from './analytics.js';
export { type FlagAuditEvent, flagAuditEvent } from './audit-event.js';
export {
  createFlags,
  type FlagReader,
  type Flags,
  type FlagsOf,
  type FlagsOptions,
  type FlagsStatus,
} from './client.js';
export {
  type CompiledSnapshot,
  type CompileProblem,
  compileSnapshot,
  FlagCompileError,
} from './compile.js';
export {
  type DefinitionMap,
  defineFlags,
  type FlagDefinition,
  type FlagDefinitions,
  type FlagType,
  type FlagValues,
  KIND_LIFETIME_DAYS,
  type ResolvedDefinition,
  type ValueOf,
} from './define.js';
export {
  type FlagsErrorInfo,
  type FlagsErrorListener,
  type FlagsLogger,
  type FlagsLoggerOption,
  stderrFlagsLogger,
} from './diagnostics.js';
export { evaluateFlag, reader } from './evaluate.js';
export { murmur3, percentBucket, variantBucket } from './hash.js';
export {
  type Condition,
  conditionSchema,
  type EnvironmentLayer,
  type ErrorCode,
  type Evaluation,
  type EvaluationContext,
  type FlagKind,
  type FlagState,
  type FlagStateInput,
  flagStateSchema,
  KINDS,
  OPERATORS,
  type Operator,
  type Reason,
  type Rollout,
  type Rule,
  rolloutSchema,
  type Segment,
  type SegmentInput,
  type Serve,
  type StoreSnapshot,
  segmentSchema,
  type TenantOverride,
} from './model.js';
export { type FlagOperations, flagOperations } from './operations.js';
export { compareSemver, parseSemver } from './operators.js';
export { seedFromDefinitions } from './seed.js';
export { type StaleFlag, type StaleReason, type StaleReportOptions, staleReport } from './stale.js';
export {
  type ChangeRecord,
  changeRecord,
  checkVersion,
  type DiffEntry,
  diffFlags,
  type EvaluationCount,
  type FlagStore,
  mergeCounts,
  stamp,
  VersionConflictError,
  type WriteOptions,
} from './store.js';
export { type MemoryStoreOptions, memoryStore } from './stores/memory.js';
