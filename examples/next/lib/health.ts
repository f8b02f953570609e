import { type Health, health } from '@platform/metrics';
import { exampleHealthChecks } from '../../shared/health';
import { exampleAudit } from './features/audit';
import { rateLimitRedis } from './features/ratelimit';

const KEY = Symbol.for('platform.example.health');

/**
 * One set of health probes per server process (each route bundle may evaluate this module,
 * and the checks' cache must be shared): the audit database when PLATFORM_AUDIT_DATABASE_URL
 * is set, Redis when the rate limiter runs on it.
 */
export function exampleHealth(): Health {
  const g = globalThis as { [KEY]?: Health };
  g[KEY] ??= health({
    checks: exampleHealthChecks({
      auditDatabase: process.env.PLATFORM_AUDIT_DATABASE_URL ? exampleAudit().database : undefined,
      redis: rateLimitRedis,
    }),
  });
  return g[KEY];
}
