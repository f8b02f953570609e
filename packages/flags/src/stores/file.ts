import { type FSWatcher, promises as fs, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  dictOf,
  environmentLayerSchema,
  type FlagState,
  flagStateSchema,
  issueAt,
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

const fileFlagSchema = flagStateSchema.omit({ key: true }).partial({ enabled: true });

const fileSchema = z.strictObject({
  flags: z.record(z.string(), z.unknown()).default({}),
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
  // One malformed flag is reported for its own key; the rest of the file still loads.
  const flags: FlagState[] = [];
  const invalid: { key: string; message: string }[] = [];
  for (const [key, f] of Object.entries(r.data.flags)) {
    const shape = fileFlagSchema.safeParse(f);
    const parsed = shape.success ? flagStateSchema.safeParse({ ...shape.data, key }) : shape;
    if (parsed.success) flags.push({ ...parsed.data, version: parsed.data.version || 1 });
    else invalid.push({ key, message: issueAt(`flags.${key}`, parsed.error) });
  }
  const byKey = new Map(flags.map((f) => [f.key, f]));
  for (const [env, section] of Object.entries(r.data.environments)) {
    for (const [key, layer] of Object.entries(section)) {
      const flag = byKey.get(key);
      if (!flag && invalid.some((i) => i.key === key)) continue;
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
  return invalid.length > 0 ? { flags, segments, invalid } : { flags, segments };
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
    name: `file ${path}`,
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
