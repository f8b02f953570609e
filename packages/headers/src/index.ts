/** @deprecated Moved to @platform/core; import them from there. */
export { readNodeBody, readWebBody } from '@platform/core';
export {
  type CompiledCsp,
  type CspDirective,
  type CspDirectiveKey,
  type CspDirectiveValue,
  type CspOptions,
  contentSecurityPolicy,
} from './csp.js';
export { withSecurityHeaders } from './fetch-headers.js';
export type { SecurityHeadersOptions } from './headers.js';
export { createNonce } from './nonce.js';
export {
  type Allowlist,
  type PermissionsFeature,
  type PermissionsPolicyOptions,
  POWERFUL_FEATURES_OFF,
  permissionsPolicy,
} from './permissions-policy.js';
export type { HstsOptions, PresetName, ReferrerPolicyToken } from './presets.js';
export {
  type AggregatedViolation,
  type CspViolation,
  createReportReceiver,
  type ReportLogger,
  type ReportReceiver,
  type ReportReceiverOptions,
  type ReportRouteOptions,
  type ReportStats,
  receiverFor,
} from './reports.js';
export {
  type Grade,
  gradeFor,
  type HeaderScore,
  type HeadersInput,
  type ScoreOptions,
  type ScoreReason,
  scoreHeaders,
} from './score.js';
export {
  createSecurityHeaders,
  type HeaderTarget,
  type SecurityHeaders,
} from './security-headers.js';
