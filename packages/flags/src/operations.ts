import { NotFoundError, ValidationError } from '@platform/errors';
import type { Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import {
  type FlagState,
  type FlagStateInput,
  flagStateSchema,
  type Rollout,
  rolloutSchema,
  type TenantOverride,
  tenantOverrideSchema,
} from './model.js';
import { type StaleFlag, type StaleReportOptions, staleReport } from './stale.js';
import {
  type ChangeRecord,
  type EvaluationCount,
  type FlagStore,
  VersionConflictError,
} from './store.js';

export interface FlagOperations {
  list(): Promise<FlagState[]>;
  get(key: string): Promise<FlagState>;
  create(flag: FlagStateInput, actor?: string): Promise<FlagState>;
  /** Replaces a flag; `expectedVersion` guards against lost updates. */
  update(
    flag: FlagStateInput,
    expectedVersion: number | undefined,
    actor?: string,
  ): Promise<FlagState>;
  toggle(key: string, enabled: boolean, actor?: string): Promise<FlagState>;
  /** Sets (or with `null` removes) one tenant's override. */
  setTenantOverride(
    key: string,
    tenant: string,
    override: TenantOverride | null,
    actor?: string,
  ): Promise<FlagState>;
  /** Sets the fallthrough rollout (percentage of `variant`, or weighted variants). */
  setRollout(key: string, rollout: Rollout, variant?: string, actor?: string): Promise<FlagState>;
  remove(key: string, actor?: string): Promise<void>;
  history(key: string, limit?: number): Promise<ChangeRecord[]>;
  /** Writes back the flag as it was at `version` (a new version, recorded in history). */
  revert(key: string, version: number, actor?: string): Promise<FlagState>;
  analytics(): Promise<EvaluationCount[]>;
  stale(options?: StaleReportOptions): Promise<StaleFlag[]>;
}

function need<K extends keyof FlagStore>(store: FlagStore, method: K): NonNullable<FlagStore[K]> {
  const fn = store[method];
  if (!fn)
    throw new ValidationError(`This flag store is read-only (no ${String(method)})`, {
      code: 'flag_store_read_only',
      status: 405,
    });
  return (fn as (...a: unknown[]) => unknown).bind(store) as NonNullable<FlagStore[K]>;
}

function parseFlag(input: unknown): FlagState {
  const r = flagStateSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError('Invalid flag', {
    errors: r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  });
}

/**
 * The admin operations over a flag client: reads go to the store, writes go through
 * optimistic concurrency, land in history, refresh the snapshot and call `onChange`.
 *
 * @example
 * const ops = flagOperations(flags);
 * await ops.setTenantOverride('newCheckout', 'acme', { serve: { variant: 'on' } }, 'alice');
 */
export function flagOperations<D extends DefinitionMap>(flags: Flags<D>): FlagOperations {
  const store = flags.store;
  const get = async (key: string) => {
    const flag = (await store.load()).flags.find((f) => f.key === key);
    if (!flag) throw new NotFoundError(`Flag "${key}" does not exist`, { code: 'flag_not_found' });
    return flag;
  };
  const write = async (flag: FlagState, expectedVersion: number | undefined, actor?: string) => {
    const put = need(store, 'put');
    const before = (await store.load()).flags.find((f) => f.key === flag.key) ?? null;
    const saved = await put(flag, { expectedVersion, actor });
    const record = (await store.history?.(flag.key, { limit: 1 }))?.[0];
    await flags.changed(
      record && record.version === saved.version
        ? record
        : {
            key: flag.key,
            version: saved.version,
            action: before ? 'update' : 'create',
            at: new Date().toISOString(),
            before,
            after: saved,
            diff: [],
          },
    );
    return saved;
  };
  // Read-modify-write with a version guard, retried when another writer got in between.
  const modify = async (key: string, change: (f: FlagState) => FlagState, actor?: string) => {
    for (let attempt = 0; ; attempt++) {
      const current = await get(key);
      try {
        return await write(parseFlag(change(structuredClone(current))), current.version, actor);
      } catch (err) {
        if (!(err instanceof VersionConflictError) || attempt >= 4) throw err;
      }
    }
  };
  return {
    list: async () => (await store.load()).flags.sort((a, b) => a.key.localeCompare(b.key)),
    get,
    create: (input, actor) => write(parseFlag(input), 0, actor),
    update: (input, expectedVersion, actor) => write(parseFlag(input), expectedVersion, actor),
    toggle: (key, enabled, actor) => modify(key, (f) => ({ ...f, enabled }), actor),
    setTenantOverride: (key, tenant, override, actor) =>
      modify(
        key,
        (f) => {
          const tenants = Object.assign(Object.create(null), f.tenants) as FlagState['tenants'];
          if (override === null) delete tenants[tenant];
          else tenants[tenant] = tenantOverrideSchema.parse(override);
          return { ...f, tenants };
        },
        actor,
      ),
    setRollout: (key, rollout, variant, actor) =>
      modify(
        key,
        (f) => ({
          ...f,
          serve: { variant: variant ?? f.serve?.variant, rollout: rolloutSchema.parse(rollout) },
        }),
        actor,
      ),
    async remove(key, actor) {
      const current = await get(key);
      await need(store, 'remove')(key, { expectedVersion: current.version, actor });
      const record = (await store.history?.(key, { limit: 1 }))?.[0];
      await flags.changed(
        record ?? {
          key,
          version: current.version,
          action: 'delete',
          at: new Date().toISOString(),
          before: current,
          after: null,
          diff: [],
        },
      );
    },
    history: (key, limit) => need(store, 'history')(key, { limit }),
    async revert(key, version, actor) {
      const records = await need(store, 'history')(key, { limit: 1000 });
      const target = records.find((r) => r.after?.version === version)?.after;
      if (!target)
        throw new NotFoundError(`Flag "${key}" has no recorded version ${version}`, {
          code: 'flag_version_not_found',
        });
      const current = (await store.load()).flags.find((f) => f.key === key);
      return write(parseFlag({ ...target, key }), current?.version ?? 0, actor);
    },
    async analytics() {
      await flags.flushAnalytics();
      return (await store.evaluations?.()) ?? [];
    },
    async stale(options) {
      await flags.flushAnalytics();
      const [snapshot, counts] = await Promise.all([store.load(), store.evaluations?.() ?? []]);
      return staleReport(snapshot.flags, flags.definitions.resolved, counts, options);
    },
  };
}
