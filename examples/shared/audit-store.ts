import { type AuditStore, lazyStore, memoryStore } from '@platform/audit';
import { postgresStore } from '@platform/audit/postgres';
import type { SqlClient } from '@platform/core/stores';

/**
 * The Express and Fastify examples' audit store: PGlite in memory by default
 * (`PLATFORM_AUDIT_DATA_DIR` for a durable directory), PostgreSQL when
 * `PLATFORM_AUDIT_DATABASE_URL` is set (`PLATFORM_AUDIT_SCHEMA` for its schema), or
 * `PLATFORM_AUDIT_STORE=memory`. Opened and migrated on first use; `onClient` receives the
 * database client once it is made (for the health check).
 */
export function exampleAuditStore(onClient?: (client: SqlClient) => void): AuditStore {
  if (auditStoreInMemory()) return memoryStore();
  return lazyStore(async () => {
    const url = process.env.PLATFORM_AUDIT_DATABASE_URL;
    const client = url
      ? // postgresStore listens for the pool's 'error' events (a connection that dies while
        // idle), so a database restart never ends the app; a connect timeout keeps the
        // writer's retries from hanging on a black-holed address
        new (await import('pg')).default.Pool({
          connectionString: url,
          max: 4,
          connectionTimeoutMillis: 5_000,
        })
      : new (await import('@electric-sql/pglite')).PGlite(process.env.PLATFORM_AUDIT_DATA_DIR);
    onClient?.(client);
    const store = postgresStore({ client, schema: process.env.PLATFORM_AUDIT_SCHEMA });
    await store.migrate();
    return store;
  });
}

/** True when `PLATFORM_AUDIT_STORE=memory`: the audit store has no database. */
export function auditStoreInMemory(): boolean {
  return process.env.PLATFORM_AUDIT_STORE === 'memory';
}

/**
 * Resolves once `store` answers (PGlite started and migrated, PostgreSQL reached), so the
 * server listens with its audit store open and the first reads do not race its start; or
 * after `timeoutMs` when it does not answer: the app starts anyway and the trail retries.
 */
export async function auditStoreOpened(store: AuditStore, timeoutMs = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([
    store.tenants().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}
