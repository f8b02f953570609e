import {
  type AuditTrail,
  auditHandlers,
  auditTrail,
  lazyStore,
  memoryStore,
} from '@platform/audit';
import { withAudit } from '@platform/audit/next';
import { postgresStore } from '@platform/audit/postgres';
import type { SqlClient } from '@platform/core/stores';
import { mayReadTenant } from '../../../shared/demo-auth';
import type { RouteFeature } from './types';

interface ExampleAudit {
  trail: AuditTrail;
  handlers: ReturnType<typeof auditHandlers>;
  /** The PostgreSQL pool once the store opened it (none with the memory store). */
  database: () => SqlClient | undefined;
}

const KEY = Symbol.for('platform.example.audit');

/**
 * One trail per server process (route bundles may each evaluate this module). Memory store
 * by default in the Next example; PostgreSQL when PLATFORM_AUDIT_DATABASE_URL is set.
 */
export function exampleAudit(): ExampleAudit {
  const g = globalThis as { [KEY]?: ExampleAudit };
  if (g[KEY]) return g[KEY];
  const url = process.env.PLATFORM_AUDIT_DATABASE_URL;
  let database: SqlClient | undefined;
  const store = url
    ? lazyStore(async () => {
        const pg = await import('pg');
        database = new pg.default.Pool({
          connectionString: url,
          max: 4,
          connectionTimeoutMillis: 5_000,
        });
        const s = postgresStore({
          // the store listens for the pool's 'error' events: a database restart never ends the app
          client: database,
          schema: process.env.PLATFORM_AUDIT_SCHEMA,
        });
        await s.migrate();
        return s;
      })
    : memoryStore();
  const trail = auditTrail({
    store,
    log: process.env.PLATFORM_AUDIT_LOG === 'off' ? false : undefined,
  });
  const handlers = auditHandlers({
    trail,
    production: process.env.NODE_ENV === 'production',
    // admins read their own tenant's trail; platform-admin reads any (a tenant's ?tenant=other: 403)
    authorize: mayReadTenant,
  });
  g[KEY] = { trail, handlers, database: () => database };
  return g[KEY];
}

/** @platform/audit in the example: every mutation through `route()` is recorded. */
export const audit: RouteFeature = (handler, { route }) =>
  withAudit(handler, exampleAudit().trail, { route, captureBody: true });
