import type { Diagnostics } from '@platform/core';
import { counter } from '@platform/core';
import { SecretUnavailableError } from '../errors.js';
import type { SecretProvider } from '../provider.js';
import type { SecretRef } from '../reference.js';
import { fetchRecord, type Resolved } from './fetch.js';

const reads = counter({
  name: 'platform_secrets_reads_total',
  help: 'Secret reads by result: hit, miss, refresh (ahead of expiry or forced), stale (served within stale-if-error), error.',
  labelNames: ['result'],
});

interface Entry {
  record?: Resolved;
  expiresAt: number;
  inflight?: Promise<Resolved>;
}

export interface CacheSettings {
  ttlMs: number;
  refreshAheadMs: number;
  staleIfErrorMs: number;
  timeoutMs: number;
  maxEntries: number;
}

/** Called with the previous and the new record each time a fetch stores a record. */
export type StoreListener = (key: string, next: Resolved, previous: Resolved | undefined) => void;

/** The cache key of a reference: the `#key` is left out, one entry serves every key of a map. */
export function cacheKey(ref: SecretRef): string {
  return `${ref.provider ?? '*'}|${ref.path}|${ref.version ?? ''}`;
}

/**
 * TTL cache in front of the providers: one provider call per key however many callers miss
 * at once, a background refresh for values close to expiry, and the last good value served
 * for `staleIfErrorMs` past expiry when the provider fails.
 */
export class SecretCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly providers: ReadonlyMap<string, SecretProvider>,
    private readonly settings: CacheSettings,
    private readonly diag: Diagnostics,
    private readonly onStore: StoreListener,
  ) {}

  async get(ref: SecretRef): Promise<Resolved> {
    const key = cacheKey(ref);
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry?.record && now < entry.expiresAt) {
      if (now >= entry.expiresAt - this.settings.refreshAheadMs && !entry.inflight) {
        reads.inc({ result: 'refresh' });
        this.refreshInBackground(key, ref);
      } else reads.inc({ result: 'hit' });
      return entry.record;
    }
    reads.inc({ result: 'miss' });
    try {
      return await this.load(key, ref);
    } catch (error) {
      const last = this.entries.get(key);
      if (
        error instanceof SecretUnavailableError &&
        last?.record &&
        Date.now() < last.expiresAt + this.settings.staleIfErrorMs
      ) {
        reads.inc({ result: 'stale' });
        this.diag.warn('SECRETS_STALE', 'provider failed: serving the last good value', {
          secretName: ref.text,
          provider: last.record.provider,
          reason: error.message,
        });
        return last.record;
      }
      reads.inc({ result: 'error' });
      throw error;
    }
  }

  /** Fetches now, whatever the TTL says (joining a fetch already under way). */
  load(key: string, ref: SecretRef): Promise<Resolved> {
    const entry = this.entries.get(key) ?? { expiresAt: 0 };
    if (entry.inflight) return entry.inflight;
    const inflight = fetchRecord(this.providers, ref, this.settings.timeoutMs).then(
      (record) => {
        const previous = entry.record;
        entry.record = record;
        entry.expiresAt = Date.now() + Math.min(this.settings.ttlMs, record.ttlMs ?? Infinity);
        entry.inflight = undefined;
        this.remember(key, entry);
        this.onStore(key, record, previous);
        return record;
      },
      (error: unknown) => {
        entry.inflight = undefined;
        // A secret that is gone is gone: only a provider failure keeps the last value.
        if (!(error instanceof SecretUnavailableError)) this.entries.delete(key);
        throw error;
      },
    );
    entry.inflight = inflight;
    this.remember(key, entry);
    return inflight;
  }

  refreshInBackground(key: string, ref: SecretRef): void {
    this.load(key, ref).catch((error: unknown) => {
      this.diag.warn('SECRETS_REFRESH_FAILED', 'background refresh failed', {
        secretName: ref.text,
        reason: error instanceof Error ? error.message : 'failed',
      });
    });
  }

  /** Drops every value from memory. */
  clear(): void {
    this.entries.clear();
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size <= this.settings.maxEntries) return;
    const oldest = this.entries.keys().next().value;
    if (oldest !== undefined) this.entries.delete(oldest);
  }
}
