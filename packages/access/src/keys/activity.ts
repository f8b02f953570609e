import type { Diagnostics } from '@platform/core';
import type { ApiKeyStore, ApiKeyUsage } from './store.js';

export interface ActivityOptions {
  /** How often gathered usage is written. */
  flushIntervalMs: number;
  /** Distinct keys gathered before a flush starts early. */
  maxKeys: number;
}

/**
 * Per-key use counts and last-used times, gathered in memory and written to the store in
 * one `addUsage` call per interval instead of one write per request. A failed write keeps
 * the counts and adds them to the next batch; nothing here throws into a request.
 */
export class Activity {
  #pending = new Map<string, ApiKeyUsage>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: ActivityOptions,
    private readonly diag: Diagnostics,
  ) {}

  touch(id: string, at: number): void {
    const u = this.#pending.get(id);
    if (u) {
      u.uses++;
      if (at > u.lastUsedAt) u.lastUsedAt = at;
    } else {
      this.#pending.set(id, { id, uses: 1, lastUsedAt: at });
      if (this.#pending.size >= this.options.maxKeys) void this.flush();
    }
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
      this.#timer.unref();
    }
  }

  /** Usage not yet written, for a key (so reads can add it to what the store has). */
  pending(id: string): ApiKeyUsage | undefined {
    return this.#pending.get(id);
  }

  /** Writes what was gathered; resolves once written (or given back for the next try). */
  flush(): Promise<void> {
    this.#flushing ??= this.#write().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) {
      this.stop();
      return;
    }
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    try {
      await this.store.addUsage(batch);
    } catch (err) {
      for (const u of batch) {
        const later = this.#pending.get(u.id);
        if (later) {
          later.uses += u.uses;
          later.lastUsedAt = Math.max(later.lastUsedAt, u.lastUsedAt);
        } else this.#pending.set(u.id, u);
      }
      this.diag.error('ACCESS_KEY_USAGE_WRITE_FAILED', err, 'API key usage not written; retrying', {
        keys: batch.length,
      });
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
