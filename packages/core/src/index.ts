export {
  compileTrust,
  MAX_PROXY_HOPS,
  type ProxyHeader,
  resolveClientIp,
  type TrustProxy,
} from './client-ip.js';
export {
  type Actor,
  type ActorType,
  type ContextSlot,
  contextSlot,
  getContext,
  type RequestContext,
  runWithContext,
  setActor,
  setRoute,
  setTenant,
  setTrace,
} from './context.js';
export {
  completeLogger,
  type Diagnostics,
  type DiagnosticsOptions,
  defaultLogger,
  diagnostics,
  type ErrorInfo,
  type ErrorListener,
  type PartialLogger,
  type PlatformLogger,
  setDefaultLogger,
} from './diagnostics.js';
export { EnvError, parseEnv } from './env.js';
export type { HttpExchange } from './exchange.js';
export * from './http/index.js';
export {
  type CidrSet,
  compileCidrs,
  formatIp,
  maskIp,
  normalizeIp,
  type ParsedIp,
  parseIp,
} from './ip.js';
export { type Lifecycle, type LifecycleOptions, manage } from './lifecycle.js';
export { memoize } from './memo.js';
export {
  type Counter,
  counter,
  declaredMetrics,
  type Exemplar,
  type Gauge,
  type GaugeCollector,
  type GaugeSample,
  gauge,
  type Histogram,
  type HistogramSpec,
  histogram,
  type MetricLabels,
  type MetricSpec,
  type MetricsBackend,
  metricsEnabled,
  setMetricsBackend,
} from './metrics.js';
export { ConfigError, parseOptions } from './options.js';
export { isPromise } from './promise.js';
export {
  createRequestContext,
  type RequestContextEngine,
  type RequestContextOptions,
  type TenantResolver,
} from './request-context.js';
export { parseRequestId, REQUEST_ID_PATTERN, uuidv7 } from './request-id.js';
export {
  installSignalHandlers,
  onShutdown,
  type ShutdownHook,
  type ShutdownHookOptions,
  type ShutdownReport,
  type SignalOptions,
  shutdown,
} from './shutdown.js';
export { processSingleton, SINGLETON_WARNING_CODE } from './singleton.js';
export { type RequestSlot, requestSlot } from './state.js';
export { watchPoolErrors } from './stores/connection.js';
export type { SqlClient } from './stores/sql.js';
export {
  hmacSha256,
  safeEqual,
  standardWebhookKey,
  standardWebhookSignature,
  timestampedMac,
  timestampedSignature,
  type WebhookBytes,
} from './webhook-signature.js';
