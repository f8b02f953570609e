export { LogDestination, type LogDestinationOptions, logDestination } from './destination.js';
export { safeUrl, type TracedFetchOptions, tracedFetch } from './fetch.js';
export { type GenAIRequest, type GenAIUsage, genAiCall, usageFromResponse } from './genai.js';
export { inspectorHandlers, logLevelHandlers, type TracingHandlers } from './handlers.js';
export {
  type ActiveRequest,
  createHttpTelemetry,
  type HttpTelemetry,
  type HttpTelemetryOptions,
  type ServerInfo,
} from './http.js';
export {
  createInspector,
  type Inspector,
  type InspectorOptions,
  toSpanRecord,
} from './inspector.js';
export { KeepErrorsProcessor } from './keep-errors.js';
export {
  LEVELS,
  type Level,
  type LevelChange,
  LogLevelError,
  LogLevels,
  logLevels,
  type ModuleLevel,
} from './log-levels.js';
export { createLogger, DEFAULT_REDACT_KEYS, type LoggerOptions } from './logger.js';
export type { TracingOptions } from './options.js';
export { OtlpExporterMissingError } from './otlp-exporter.js';
export { getTracing, initTracing, type TracingHandle } from './provider.js';
export {
  createRequestLog,
  type RequestLog,
  type RequestLogEntry,
  type RequestLogOptions,
} from './request-log.js';
export { PlatformSampler } from './sampler.js';
export { sqlOperation, type TracedSqlOptions, tracedSql } from './sql.js';
export {
  buildTimeline,
  isErrorRecord,
  type LogRecord,
  type SpanNode,
  type SpanRecord,
  type Timeline,
  timelineToMarkdown,
} from './timeline.js';
export { type Layer, recordError, type TracedOptions, traced } from './traced.js';
