import {
  type DiagnosticsOptions,
  diagnostics,
  type Lifecycle,
  type LifecycleOptions,
  manage,
  parseOptions,
} from '@platform/core';
import { z } from 'zod';
import { SecretError } from '../errors.js';
import type { SecretProvider } from '../provider.js';
import { formatSecretRef, parseSecretRef, type SecretRef, tenantRef } from '../reference.js';
import { cacheKey, SecretCache } from './cache.js';
import { selectValue } from './fetch.js';
import { type RotationCallback, Rotations } from './rotation.js';

const providerSchema = z.custom<SecretProvider>(
  (p) =>
    typeof p === 'object' &&
    p !== null &&
    typeof (p as SecretProvider).read === 'function' &&
    typeof (p as SecretProvider).kind === 'string',
  'must be a secret provider (envProvider(), fileProvider(), vaultProvider() or an object with kind and read)',
);

const schema = z
  .strictObject({
    providers: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/), providerSchema)
      .refine((p) => Object.keys(p).length > 0, 'name at least one provider'),
    ttlMs: z.number().int().positive().default(300_000),
    refreshAheadMs: z.number().int().min(0).optional(),
    staleIfErrorMs: z.number().int().min(0).default(900_000),
    rotationPollMs: z.number().int().positive().default(60_000),
    timeoutMs: z.number().int().positive().default(5_000),
    maxEntries: z.number().int().positive().default(10_000),
    tenantPath: z
      .string()
      .refine(
        (t) => t.includes('{tenant}') && t.includes('{name}'),
        'must contain {tenant} and {name}',
      )
      .default('tenants/{tenant}/{name}'),
    shutdown: z.boolean().optional(),
    logger: z.any().optional(),
    onError: z.function().optional(),
  })
  .refine((o) => o.refreshAheadMs === undefined || o.refreshAheadMs < o.ttlMs, {
    path: ['refreshAheadMs'],
    message: 'must be less than ttlMs',
  })
  .transform((o) => ({ ...o, refreshAheadMs: o.refreshAheadMs ?? Math.floor(o.ttlMs / 5) }));

export interface SecretsOptions extends DiagnosticsOptions, LifecycleOptions {
  /**
   * Providers by name. A `secret://<name>/...` reference reads from one; a plain name is
   * looked up in each provider in the order given here until one has it.
   */
  providers: Record<string, SecretProvider>;
  /** How long a value is served from memory. Default 300 000 (5 minutes). */
  ttlMs?: number;
  /** A value read within this long of expiry is refreshed in the background. Default a fifth of `ttlMs`. */
  refreshAheadMs?: number;
  /** How long past expiry the last good value is served while the provider fails. Default 900 000. */
  staleIfErrorMs?: number;
  /** How often secrets with `onRotate` callbacks are re-read. Default 60 000. */
  rotationPollMs?: number;
  /** Deadline of one provider call. Default 5 000. */
  timeoutMs?: number;
  /** Values kept in memory at most (least recently stored dropped first). Default 10 000. */
  maxEntries?: number;
  /** Where tenant secrets live: a template with `{tenant}` and `{name}`. Default `tenants/{tenant}/{name}`. */
  tenantPath?: string;
}

export interface Secrets extends Lifecycle {
  /** The value of a secret: a plain name (every provider in order) or a `secret://` reference. */
  getSecret(name: string): Promise<string>;
  /** A tenant's secret, at the `tenantPath` template; the tenant id is validated. */
  getTenantSecret(tenant: string, name: string): Promise<string>;
  /** One version of a secret, from a provider that keeps versions (Vault). */
  getSecretVersion(name: string, version: string | number): Promise<string>;
  /** Calls `callback` with the new value each time the secret changes; returns the unsubscribe function. */
  onRotate(name: string, callback: RotationCallback): () => void;
  /** Re-reads every secret with a rotation callback now (what the poll timer does). */
  checkRotations(): Promise<void>;
}

/**
 * One interface over the secret providers: cached reads with refresh-ahead and
 * stale-if-error, versions, per-tenant secrets and rotation callbacks. Closed by core's
 * `shutdown()` unless `shutdown: false`.
 *
 * @example
 * const store = secrets({ providers: { env: envProvider(), vault: vaultProvider({ address, token }) } });
 * const password = await store.getSecret('secret://vault/db/main#password');
 */
export function secrets(options: SecretsOptions): Secrets {
  const opts = parseOptions(schema, options, 'secrets');
  const diag = diagnostics('@platform/secrets', options);
  const providers = new Map(Object.entries(opts.providers));
  const rotations = new Rotations(diag);
  const cache = new SecretCache(providers, opts, diag, (key, record) =>
    rotations.stored(key, record),
  );
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const unwatch: (() => void)[] = [];

  const ensureOpen = () => {
    if (closed) throw new SecretError('The secrets store is closed', 'secrets_closed', undefined);
  };
  const read = async (ref: SecretRef) => {
    ensureOpen();
    return selectValue(await cache.get(ref), ref);
  };
  const checkRotations = async () => {
    const watched = rotations.watched();
    const results = await Promise.allSettled(watched.map(([key, ref]) => cache.load(key, ref)));
    results.forEach((result, i) => {
      if (result.status === 'rejected')
        diag.warn('SECRETS_ROTATION_POLL', 'rotation check failed', {
          secretName: watched[i]![1].text,
          reason: result.reason instanceof Error ? result.reason.message : 'failed',
        });
    });
  };
  const poll = () => {
    if (timer || closed) return;
    timer = setInterval(() => void checkRotations(), opts.rotationPollMs);
    timer.unref();
    for (const [name, provider] of providers) {
      const stop = provider.watch?.((path) => {
        for (const [key, ref] of rotations.watched())
          if (ref.path === path && (ref.provider ?? name) === name)
            cache.refreshInBackground(key, ref);
      });
      if (stop) unwatch.push(stop);
    }
  };

  const store: Secrets = {
    getSecret: async (name) => read(parseSecretRef(name)),
    getTenantSecret: async (tenant, name) => read(tenantRef(opts.tenantPath, tenant, name)),
    getSecretVersion: async (name, version) => {
      const ref = parseSecretRef(name);
      return read(parseSecretRef(formatSecretRef({ ...ref, version: String(version) })));
    },
    onRotate(name, callback) {
      ensureOpen();
      const ref = parseSecretRef(name);
      const remove = rotations.add(ref, callback);
      poll();
      // The first read sets what the callback has seen; only later changes call it.
      cache.get(ref).then(
        (record) => rotations.stored(cacheKey(ref), record),
        (error: unknown) =>
          diag.error('SECRETS_ROTATION_INITIAL', error, 'first read failed', {
            secretName: ref.text,
          }),
      );
      return remove;
    },
    checkRotations,
    flush: async () => {},
    async close() {
      if (closed) return;
      closed = true;
      unregister();
      clearInterval(timer);
      for (const stop of unwatch.splice(0)) stop();
      rotations.clear();
      cache.clear();
      await Promise.allSettled([...providers.values()].map((p) => p.close?.()));
    },
  };
  const unregister = manage('@platform/secrets', store, options);
  return store;
}
