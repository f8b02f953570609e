export {
  type CheckOptions,
  checkFromStore,
  type Pingable,
  postgresCheck,
  redisCheck,
} from './checks.js';
export {
  type Health,
  type HealthOptions,
  type HealthReport,
  type HealthTransition,
  health,
} from './health.js';
export type { CheckOutcome, CheckResult, HealthCheck, HealthStatus } from './probe.js';
