import type { Diagnostics } from '@platform/core';
import type { SecretRef } from '../reference.js';
import { cacheKey } from './cache.js';
import { type Resolved, selectValue } from './fetch.js';

/** What a rotation callback learns besides the new value. */
export interface RotationInfo {
  /** The name or reference the callback was registered for. */
  name: string;
  /** The provider the new value came from. */
  provider: string;
  version?: string;
  previousVersion?: string;
}

export type RotationCallback = (value: string, info: RotationInfo) => void | Promise<void>;

interface Watcher {
  ref: SecretRef;
  callback: RotationCallback;
  /** What the callback last saw; undefined until the first value is known. */
  seen?: { value: string; version?: string };
}

/** The rotation watchers, grouped by cache key; told of every record the cache stores. */
export class Rotations {
  private readonly watchers = new Map<string, Set<Watcher>>();

  constructor(private readonly diag: Diagnostics) {}

  add(ref: SecretRef, callback: RotationCallback): () => void {
    const key = cacheKey(ref);
    const watcher: Watcher = { ref, callback };
    const set = this.watchers.get(key) ?? new Set<Watcher>();
    this.watchers.set(key, set);
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(key);
    };
  }

  /** One reference per watched cache key: what a poll refreshes. */
  watched(): [string, SecretRef][] {
    return [...this.watchers].map(([key, set]) => [key, set.values().next().value!.ref]);
  }

  get size(): number {
    return this.watchers.size;
  }

  /** Calls each watcher of `key` whose value (or version) differs from the one it last saw. */
  stored(key: string, record: Resolved): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const watcher of set) {
      let value: string;
      try {
        value = selectValue(record, watcher.ref);
      } catch (error) {
        this.diag.error('SECRETS_ROTATION_SELECT', error, 'rotated secret lost the watched key', {
          secretName: watcher.ref.text,
        });
        continue;
      }
      const previous = watcher.seen;
      watcher.seen = { value, version: record.version };
      if (!previous || (previous.value === value && previous.version === record.version)) continue;
      this.call(watcher, value, {
        name: watcher.ref.text,
        provider: record.provider,
        version: record.version,
        previousVersion: previous.version,
      });
    }
  }

  private call(watcher: Watcher, value: string, info: RotationInfo): void {
    const fail = (error: unknown) =>
      this.diag.error('SECRETS_ROTATION_CALLBACK', error, 'rotation callback failed', {
        secretName: info.name,
        version: info.version,
      });
    try {
      const result = watcher.callback(value, info);
      if (result && typeof result.then === 'function') result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  clear(): void {
    this.watchers.clear();
  }
}
