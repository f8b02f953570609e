import { type FSWatcher, promises as fs, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  dictOf,
  environmentLayerSchema,
  type FlagState,
  flagStateSchema,
  own,
  type StoreSnapshot,
  segmentSchema,
} from '../model.js';
import type { FlagStore } from '../store.js';

export interface FileStoreOptions {
  /** A `.yaml`, `.yml` or `.json` file. */
  path: string;
  /** Reload when the file changes (fs.watch plus stat polling; default true). */
  watch?: boolean;
  /** Stat-polling interval for the change check (default 1000 ms). */
  pollIntervalMs?: number;
}

/** The file is unreadable or invalid; the message names the file and the field. */
export class FlagFileError extends Error {
  override readonly name = 'FlagFileError';
  constructor(
    readonly path: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(`${path}: ${message}`);
  }
}

const fileSchema = z.strictObject({
  flags: z
    .record(z.string(), flagStateSchema.omit({ key: true }).partial({ enabled: true }))
    .default({}),
  segments: z.record(z.string(), segmentSchema.omit({ key: true })).default({}),
  /** Per-environment sections: `environments.production.<flag>: { enabled, serve, rules, tenants }`. */
  environments: dictOf(z.record(z.string(), environmentLayerSchema)).default({}),
});

/** Parses and validates file contents into a store snapshot; throws FlagFileError. */
export function parseFlagFile(text: string, path: string): StoreSnapshot {
  let raw: unknown;
  try {
    raw = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new FlagFileError(path, `cannot parse: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = fileSchema.safeParse(raw ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
    }));
    throw new FlagFileError(
      path,
      `invalid flags file:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
      issues,
    );
  }
  const flags: FlagState[] = [];
  for (const [key, f] of Object.entries(r.data.flags)) {
    const parsed = flagStateSchema.safeParse({ ...f, key });
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new FlagFileError(
        path,
        `invalid flags file:\n  - flags.${key}.${i.path.join('.')}: ${i.message}`,
      );
    }
    flags.push({ ...parsed.data, version: parsed.data.version || 1 });
  }
  const byKey = new Map(flags.map((f) => [f.key, f]));
  for (const [env, section] of Object.entries(r.data.environments)) {
    for (const [key, layer] of Object.entries(section)) {
      const flag = byKey.get(key);
      if (!flag) {
        throw new FlagFileError(
          path,
          `invalid flags file:\n  - environments.${env}.${key}: no flag "${key}" under flags`,
        );
      }
      flag.environments = Object.assign(Object.create(null), flag.environments, {
        [env]: { ...own(flag.environments, env), ...layer },
      });
    }
  }
  const segments = Object.entries(r.data.segments).map(([key, s]) => ({ ...s, key }));
  return { flags, segments };
}

/**
 * A read-only store over a YAML or JSON file with per-environment sections, reloaded on
 * change. An invalid file is reported (naming the file and field) and the client keeps
 * its previous snapshot.
 *
 * @example
 * // flags.yaml
 * // flags:
 * //   newCheckout: { serve: { variant: off }, tenants: { acme: { serve: { variant: on } } } }
 * // environments:
 * //   production: { newCheckout: { enabled: false } }
 * const flags = createFlags({ definitions, store: fileStore({ path: 'flags.yaml' }) });
 */
export function fileStore(options: FileStoreOptions): FlagStore {
  const path = options.path;
  const listeners = new Set<() => void>();
  let watcher: FSWatcher | undefined;
  let polling = false;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const l of listeners) l();
    }, 25);
  };
  const start = () => {
    if (options.watch === false || polling) return;
    polling = true;
    watchFile(
      path,
      { interval: options.pollIntervalMs ?? 1000, persistent: false },
      (cur, prev) => {
        if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size) fire();
      },
    );
    try {
      watcher = watch(dirname(path), { persistent: false }, (_event, name) => {
        if (name === null || name === basename(path)) fire();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // stat polling alone still notices changes
    }
  };
  const stop = () => {
    if (!polling) return;
    polling = false;
    unwatchFile(path);
    watcher?.close();
    watcher = undefined;
    clearTimeout(timer);
  };
  return {
    async load() {
      let text: string;
      try {
        text = await fs.readFile(path, 'utf8');
      } catch (err) {
        throw new FlagFileError(
          path,
          `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      return parseFlagFile(text, path);
    },
    subscribe(listener) {
      listeners.add(listener);
      start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    async close() {
      listeners.clear();
      stop();
    },
  };
}
