import type { AuditStore } from './store.js';

/**
 * A store that is created in the background (PGlite takes a second or two to start):
 * the trail can be built synchronously and record at once; writes wait for the store,
 * and a failed creation is tried again on the next call.
 *
 * @example
 * const store = lazyStore(async () => { const s = postgresStore({ client: new PGlite() }); await s.migrate(); return s; });
 */
export function lazyStore(create: () => Promise<AuditStore>): AuditStore {
  let pending: Promise<AuditStore> | undefined;
  let onError: ((error: unknown, where: string) => void) | undefined;
  const ready = () => {
    pending ??= create().then(
      (store) => {
        if (onError) store.reportTo?.(onError);
        return store;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  void ready().catch(() => undefined);
  return {
    append: async (e) => (await ready()).append(e),
    query: async (q) => (await ready()).query(q),
    async *export(range) {
      yield* (await ready()).export(range);
    },
    purge: async (r) => (await ready()).purge(r),
    head: async (t) => (await ready()).head(t),
    saveCheckpoint: async (c) => (await ready()).saveCheckpoint(c),
    checkpoints: async (t) => (await ready()).checkpoints(t),
    tenants: async () => (await ready()).tenants(),
    close: async () => (await ready()).close?.(),
    reportTo(handler) {
      onError = handler;
      void pending?.then(
        (store) => store.reportTo?.(handler),
        () => undefined,
      );
    },
  };
}
