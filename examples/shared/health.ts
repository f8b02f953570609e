import type { SqlClient } from '@platform/core/stores';
import { type HealthCheck, postgresCheck, redisCheck } from '@platform/metrics';
import type { Redis } from 'ioredis';
import { auditStoreInMemory } from './audit-store.js';

/**
 * A PostgreSQL check over a client a lazy store opens on first use (the audit store's pg
 * Pool or PGlite): unhealthy until the store opened it, then `SELECT 1` through it.
 */
export function openedDatabaseCheck(
  name: string,
  client: () => SqlClient | undefined,
): HealthCheck {
  let check: HealthCheck | undefined;
  return {
    name,
    check(signal) {
      const opened = client();
      if (!opened)
        return { status: 'unhealthy', message: 'the store has not opened its database yet' };
      check ??= postgresCheck(opened, { name });
      return check.check(signal);
    },
  };
}

/**
 * The examples' readiness checks: the audit database (PostgreSQL or PGlite; none with
 * `PLATFORM_AUDIT_STORE=memory`) and,
 * when the rate limiter runs on Redis, Redis (not critical: the limiter fails open, so the
 * app still serves; a Redis outage shows as `degraded`).
 */
export function exampleHealthChecks(deps: {
  auditDatabase?: () => SqlClient | undefined;
  redis?: Redis;
}): HealthCheck[] {
  const checks: HealthCheck[] = [];
  if (deps.auditDatabase && !auditStoreInMemory())
    checks.push(openedDatabaseCheck('audit-database', deps.auditDatabase));
  if (deps.redis) checks.push(redisCheck(deps.redis, { name: 'ratelimit-redis', critical: false }));
  return checks;
}
