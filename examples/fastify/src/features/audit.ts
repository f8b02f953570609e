import { type AuditTrail, auditHandlers, auditTrail } from '@platform/audit';
import { auditRequests, auditRoute } from '@platform/audit/fastify';
import type { SqlClient } from '@platform/core/stores';
import { auditStoreOpened, exampleAuditStore } from '../../../shared/audit-store.js';
import { mayReadTenant } from '../../../shared/demo-auth.js';
import { exampleHealthChecks } from '../../../shared/health.js';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/audit in the example: every mutation is recorded (actor and tenant from demo
 * auth), into PGlite in memory by default (PLATFORM_AUDIT_DATA_DIR for a durable
 * directory, PLATFORM_AUDIT_DATABASE_URL for PostgreSQL, PLATFORM_AUDIT_STORE=memory).
 * Admins (X-User-Role: admin) read their own tenant's trail (X-Tenant-Id) at
 * /api/audit/events, /export and /verify; X-User-Role: platform-admin reads any tenant's.
 */
export async function auditFeature(env: FeatureEnv): Promise<AppFeature & { trail: AuditTrail }> {
  let database: SqlClient | undefined;
  const store = exampleAuditStore((client) => {
    database = client;
  });
  await auditStoreOpened(store);
  const trail = auditTrail({
    store,
    log: process.env.PLATFORM_AUDIT_LOG === 'off' ? false : undefined,
  });
  const handlers = auditHandlers({
    trail,
    production: env.production,
    // admins read their own tenant's trail; platform-admin reads any (a tenant's ?tenant=other: 403)
    authorize: mayReadTenant,
  });
  return {
    name: 'audit',
    trail,
    console: { audit: trail, auditLog: handlers },
    checks: exampleHealthChecks({ auditDatabase: () => database }),
    async before(app) {
      await app.register(auditRequests, { trail, captureBody: true });
    },
    routes(app) {
      app.get('/api/audit/events', auditRoute(handlers.search));
      app.get('/api/audit/export', auditRoute(handlers.export));
      app.get('/api/audit/verify', auditRoute(handlers.verify));
    },
  };
}
