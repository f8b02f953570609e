import { parseOptions } from '@platform/core';
import {
  type FlagState,
  type FlagStateInput,
  flagStateSchema,
  type Segment,
  type SegmentInput,
  segmentSchema,
} from '../model.js';
import {
  type ChangeRecord,
  changeRecord,
  checkVersion,
  type EvaluationCount,
  type FlagStore,
  mergeCounts,
  stamp,
} from '../store.js';

export interface MemoryStoreOptions {
  flags?: FlagStateInput[];
  segments?: SegmentInput[];
  /** History records kept per flag (default 100). */
  historyLimit?: number;
}

/**
 * The in-process store: flags, history and analytics in memory. Shares changes with
 * every client of the same store object.
 *
 * @example
 * const store = memoryStore({ flags: [{ key: 'newCheckout', serve: { variant: 'on' } }] });
 */
export function memoryStore(options: MemoryStoreOptions = {}): FlagStore {
  const flags = new Map<string, FlagState>();
  const segments = new Map<string, Segment>();
  const history = new Map<string, ChangeRecord[]>();
  const counts = new Map<string, EvaluationCount>();
  const listeners = new Set<() => void>();
  const limit = options.historyLimit ?? 100;
  const notify = () => {
    for (const l of listeners) queueMicrotask(l);
  };
  const record = (r: ChangeRecord) => {
    const list = history.get(r.key) ?? [];
    list.unshift(r);
    if (list.length > limit) list.length = limit;
    history.set(r.key, list);
  };
  for (const f of options.flags ?? []) {
    const parsed = parseOptions(
      flagStateSchema,
      f,
      `memoryStore flag "${(f as { key?: string }).key}"`,
    );
    flags.set(parsed.key, { ...parsed, version: parsed.version || 1 });
  }
  for (const s of options.segments ?? []) {
    const parsed = parseOptions(
      segmentSchema,
      s,
      `memoryStore segment "${(s as { key?: string }).key}"`,
    );
    segments.set(parsed.key, parsed);
  }
  return {
    name: 'memory',
    async load() {
      return {
        flags: [...flags.values()].map((f) => structuredClone(f)),
        segments: [...segments.values()].map((s) => structuredClone(s)),
      };
    },
    async put(input, o = {}) {
      const flag = flagStateSchema.parse(input);
      const prev = flags.get(flag.key);
      checkVersion(flag.key, o.expectedVersion, prev?.version ?? 0);
      const next = stamp(flag, prev, o.actor);
      flags.set(flag.key, next);
      record(changeRecord(flag.key, prev ?? null, next, o.actor));
      notify();
      return structuredClone(next);
    },
    async remove(key, o = {}) {
      const prev = flags.get(key);
      if (!prev) return false;
      checkVersion(key, o.expectedVersion, prev.version);
      flags.delete(key);
      record(changeRecord(key, prev, null, o.actor));
      notify();
      return true;
    },
    async putSegment(segment) {
      const parsed = segmentSchema.parse(segment);
      segments.set(parsed.key, parsed);
      notify();
      return structuredClone(parsed);
    },
    async removeSegment(key) {
      const had = segments.delete(key);
      if (had) notify();
      return had;
    },
    async history(key, o = {}) {
      return structuredClone((history.get(key) ?? []).slice(0, o.limit ?? limit));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async recordEvaluations(list) {
      mergeCounts(counts, list);
    },
    async evaluations() {
      return [...counts.values()].map((c) => ({ ...c }));
    },
    async close() {
      listeners.clear();
    },
  };
}
