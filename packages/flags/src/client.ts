import {
  getContext,
  type LifecycleOptions,
  manage,
  metricsEnabled,
  parseOptions,
} from '@platform/core';
import { z } from 'zod';
import { EvaluationCounter } from './analytics.js';
import { type CompiledSnapshot, compileSnapshot } from './compile.js';
import type { DefinitionMap, FlagDefinitions, ValueOf } from './define.js';
import {
  type FlagsErrorListener,
  type FlagsLogger,
  type FlagsLoggerOption,
  flagDiagnostics,
} from './diagnostics.js';
import { evaluateFlag, reader } from './evaluate.js';
import { countEvaluation, watchStaleness } from './metrics.js';
import type { Evaluation, EvaluationContext, FlagState } from './model.js';
import { seedFromDefinitions } from './seed.js';
import type { ChangeRecord, FlagStore } from './store.js';
import { memoryStore } from './stores/memory.js';

/** The client type for `defineFlags(...)`'s result: `FlagsOf<typeof definitions>`. */
export type FlagsOf<T> = T extends FlagDefinitions<infer D> ? Flags<D> : never;

export type FlagsStatus = 'loading' | 'ready' | 'stale';

type BooleanKeys<D extends DefinitionMap> = {
  [K in keyof D & string]: D[K] extends { type: 'boolean' } ? K : never;
}[keyof D & string];

/** Typed evaluation bound to a context (per request). */
export interface FlagReader<D extends DefinitionMap> {
  isEnabled<K extends BooleanKeys<D>>(key: K, ctx?: EvaluationContext): boolean;
  value<K extends keyof D & string>(key: K, ctx?: EvaluationContext): ValueOf<D[K]>;
  evaluate<K extends keyof D & string>(key: K, ctx?: EvaluationContext): Evaluation<ValueOf<D[K]>>;
}

export interface Flags<D extends DefinitionMap> extends FlagReader<D> {
  readonly definitions: FlagDefinitions<D>;
  readonly store: FlagStore;
  readonly environment: string;
  /** `loading` until the first snapshot (or the startup timeout), `stale` while the store is unreachable. */
  readonly status: FlagsStatus;
  /** Untyped evaluation, for any key the store holds (OpenFeature, admin). */
  evaluateAny(key: string, ctx?: EvaluationContext): Evaluation;
  /** A reader with `ctx` merged under each call's own context. */
  with(ctx: EvaluationContext): FlagReader<D>;
  /** Resolves once the first snapshot is loaded or the startup timeout passed; never rejects. */
  ready(): Promise<void>;
  /** Reloads from the store now. */
  refresh(): Promise<void>;
  snapshot(): CompiledSnapshot;
  /** Called after every snapshot swap. Returns an unsubscribe. */
  onUpdate(listener: (snapshot: CompiledSnapshot) => void): () => void;
  /** Records a write made through this client (history hook, refresh). Used by the admin operations. */
  changed(record: ChangeRecord): Promise<void>;
  /** Counts an OpenFeature `track()` or custom event toward analytics. */
  track(key: string, variant: string | undefined, tenant?: string): void;
  flushAnalytics(): Promise<void>;
  /** Writes out what is buffered: the evaluation counts (`flushAnalytics`). */
  flush(): Promise<void>;
  /** Flushes analytics, stops timers and closes the store. Idempotent. */
  close(): Promise<void>;
}

const optionsSchema = z.object({
  environment: z.string().min(1).max(100).optional(),
  startupTimeoutMs: z.number().int().min(0).max(120_000).default(3_000),
  pollIntervalMs: z.number().int().min(0).default(0),
  retryIntervalMs: z.number().int().min(100).default(5_000),
  analytics: z
    .union([
      z.literal(false),
      z.object({
        flushIntervalMs: z.number().int().min(100).default(60_000),
        maxKeys: z.number().int().positive().default(10_000),
      }),
    ])
    .default({ flushIntervalMs: 60_000, maxKeys: 10_000 }),
  shutdown: z.boolean().optional(),
  flushOnShutdown: z.boolean().optional(),
  logger: z
    .union([
      z.literal(false),
      z.custom<FlagsLogger>(
        (v) =>
          typeof (v as FlagsLogger | null)?.warn === 'function' &&
          typeof (v as FlagsLogger).info === 'function',
        'must be a logger with at least warn(obj, msg) and info(obj, msg) (pino fits)',
      ),
    ])
    .optional(),
  onError: z.function().optional(),
});

export interface FlagsOptions<D extends DefinitionMap> extends LifecycleOptions {
  definitions: FlagDefinitions<D>;
  /** Default: a memory store seeded from the definitions (each flag serving its default). */
  store?: FlagStore;
  /** Selects per-environment values (default: NODE_ENV, else `development`). */
  environment?: string;
  /** How long startup waits for the store before serving code defaults (default 3000 ms). */
  startupTimeoutMs?: number;
  /** Reload every N ms in addition to the store's own change feed (default 0: off). */
  pollIntervalMs?: number;
  /** Retry interval while the store is unreachable (default 5000 ms). */
  retryIntervalMs?: number;
  /** Evaluation counters (default: flushed to the store every 60 s); `false` turns them off. */
  analytics?: false | { flushIntervalMs?: number; maxKeys?: number };
  /**
   * Flush analytics and close the store on core's `shutdown()` (default true).
   * @deprecated Use `shutdown`, the option name every @platform package shares.
   */
  flushOnShutdown?: boolean;
  /** Audit hook: every write made through this client's admin operations, with its diff. */
  onChange?: (change: ChangeRecord) => void | Promise<void>;
  /**
   * Core's error listener: store outages and invalid stored flags once per episode, with a
   * message naming the store and the flag (the flag's previous version or its code default
   * is served), and failing hooks, listeners and analytics writes. `info.code` says which
   * (`FLAGS_STORE_UNAVAILABLE`, `FLAG_INVALID`, ...); `info.problems` holds a bad flag's problem.
   */
  onError?: FlagsErrorListener;
  /**
   * Degradation and recovery lines (default: core's process-wide logger, JSON on stderr
   * until @platform/tracing's logger exists); `false` turns them off. A logger with only
   * `warn` and `info` still works.
   */
  logger?: FlagsLoggerOption;
}

/**
 * Creates the flag client: loads a snapshot from the store (bounded by
 * `startupTimeoutMs`), follows the store's change feed, and evaluates synchronously.
 * With no store reachable it serves code defaults (reason STALE) and never throws.
 *
 * @example
 * const flags = createFlags({ definitions, store: postgresStore({ client: pool }) });
 * await flags.ready();
 * if (flags.isEnabled('newCheckout')) { ... }
 */
export function createFlags<D extends DefinitionMap>(options: FlagsOptions<D>): Flags<D> {
  const opts = parseOptions(
    optionsSchema,
    { ...options, definitions: undefined, store: undefined },
    'createFlags',
  );
  const definitions = options.definitions;
  const environment = opts.environment ?? process.env.NODE_ENV ?? 'development';
  const store = options.store ?? memoryStore({ flags: seedFromDefinitions(definitions) });
  const diagnostics = flagDiagnostics(store.name ?? 'custom', {
    logger: options.logger,
    onError: options.onError,
  });
  // A store that never answers would hold every later reload: each load has a deadline.
  const loadTimeoutMs = Math.max(opts.startupTimeoutMs, 1_000);
  const load = () =>
    new Promise<Awaited<ReturnType<FlagStore['load']>>>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no answer within ${loadTimeoutMs} ms`)),
        loadTimeoutMs,
      );
      t.unref();
      store
        .load()
        .then(resolve, reject)
        .finally(() => clearTimeout(t));
    });
  let current = compileSnapshot(
    { flags: [], segments: [] },
    definitions.resolved,
    environment,
  ).snapshot;
  let status: FlagsStatus = 'loading';
  let loadedOnce = false;
  let refreshedAt = Date.now();
  const listeners = new Set<(s: CompiledSnapshot) => void>();
  const counter = opts.analytics ? new EvaluationCounter(opts.analytics.maxKeys) : undefined;
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  let inflight: Promise<void> | undefined;
  let again = false;
  const reload = (): Promise<void> => {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      do {
        again = false;
        try {
          const source = await load();
          const { snapshot, problems } = compileSnapshot(
            source,
            definitions.resolved,
            environment,
            loadedOnce ? current : undefined,
          );
          diagnostics.loaded(problems, snapshot);
          current = snapshot;
          loadedOnce = true;
          refreshedAt = Date.now();
          status = 'ready';
          for (const l of listeners) {
            try {
              l(snapshot);
            } catch (err) {
              diagnostics.error('FLAGS_LISTENER_FAILED', err, 'flags update listener failed');
            }
          }
        } catch (err) {
          if (loadedOnce) status = 'stale';
          diagnostics.storeFailed(err instanceof Error ? err : new Error(String(err)));
        }
      } while (again && !closed);
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  const unsubscribe = store.subscribe?.(() => void reload());
  const first = reload();
  const startup = Promise.race([
    first,
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, opts.startupTimeoutMs);
      t.unref();
    }),
  ]).then(() => {
    if (!loadedOnce) status = 'stale';
  });
  const retry = setInterval(() => {
    if (!loadedOnce || status === 'stale') void reload();
  }, opts.retryIntervalMs);
  retry.unref();
  timers.push(retry);
  if (opts.pollIntervalMs > 0) {
    const poll = setInterval(() => void reload(), opts.pollIntervalMs);
    poll.unref();
    timers.push(poll);
  }

  const flush = async () => {
    if (!counter || !store.recordEvaluations || counter.size === 0) return;
    const rows = counter.drain();
    try {
      await store.recordEvaluations(rows);
    } catch (err) {
      counter.restore(rows);
      diagnostics.error(
        'FLAGS_ANALYTICS_FAILED',
        err,
        'flag evaluation counts not written; kept for the next flush',
      );
    }
  };
  if (opts.analytics) {
    const t = setInterval(() => void flush(), opts.analytics.flushIntervalMs);
    t.unref();
    timers.push(t);
  }

  const evaluate = (key: string, ctx: EvaluationContext | undefined): Evaluation => {
    const request = getContext();
    const read = reader(ctx, request, environment);
    let result: Evaluation;
    if (!loadedOnce) {
      const def = definitions.resolved.get(key);
      result = def
        ? { value: def.default, reason: 'STALE' }
        : {
            value: undefined,
            reason: 'ERROR',
            errorCode: 'FLAG_NOT_FOUND',
            errorMessage: `flag "${key}" is not defined`,
          };
    } else {
      result = evaluateFlag(current, key, read);
    }
    if (counter && result.errorCode !== 'FLAG_NOT_FOUND')
      counter.add(key, result.variant, read('tenantId'));
    if (metricsEnabled()) countEvaluation(key, result);
    return result;
  };

  const readerFor = (base: EvaluationContext | undefined): FlagReader<D> => {
    const merge = (ctx?: EvaluationContext) =>
      base === undefined ? ctx : ctx === undefined ? base : { ...base, ...ctx };
    return {
      isEnabled: (key, ctx) => evaluate(key, merge(ctx)).value === true,
      value: (key, ctx) => evaluate(key, merge(ctx)).value as never,
      evaluate: (key, ctx) => evaluate(key, merge(ctx)) as never,
    };
  };
  const root = readerFor(undefined);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      closed = true;
      unregister();
      unwatch();
      for (const t of timers) clearInterval(t);
      unsubscribe?.();
      await flush();
      await store.close?.();
    })();
    return closing;
  };
  const unwatch = watchStaleness(() => refreshedAt);
  const unregister = manage(
    'flags',
    { close },
    { shutdown: opts.shutdown ?? opts.flushOnShutdown ?? true },
    5_000,
  );

  return {
    ...root,
    definitions,
    store,
    environment,
    get status() {
      return status;
    },
    evaluateAny: (key, ctx) => evaluate(key, ctx),
    with: (ctx) => readerFor(ctx),
    ready: () => startup,
    refresh: reload,
    snapshot: () => current,
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async changed(record) {
      await reload();
      try {
        await options.onChange?.(record);
      } catch (err) {
        diagnostics.error('FLAGS_ON_CHANGE_FAILED', err, 'flags onChange hook failed');
      }
    },
    track(key, variant, tenant) {
      counter?.add(key, variant, tenant);
    },
    flushAnalytics: flush,
    flush,
    close,
  };
}

export type { FlagState };
