import { type FSWatcher, watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { ProviderError } from '../errors.js';
import type { SecretProvider } from '../provider.js';

export interface FileProviderOptions {
  /** The mounted secrets directory. Default `/run/secrets` (Docker; Kubernetes mounts wherever the volume says). */
  directory?: string;
  /** Strip one trailing newline, as `echo` and most editors leave one. Default true. */
  trimNewline?: boolean;
  /** Files larger than this are refused. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * Secrets from a mounted directory, one file per secret (Docker secrets, Kubernetes secret
 * volumes): the path `db/password` is the file `<directory>/db/password`. A file is re-read
 * when its modification time or size changes, and `watch` reports rewrites (including
 * Kubernetes' atomic `..data` symlink swap) so rotation callbacks fire without waiting for a
 * poll. Keeps no versions.
 *
 * @example
 * const files = fileProvider({ directory: '/var/run/secrets/app' });
 */
export function fileProvider(options: FileProviderOptions = {}): SecretProvider {
  const root = resolve(options.directory ?? '/run/secrets');
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const trim = options.trimNewline ?? true;
  const known = new Map<string, { stamp: string; value: string }>();
  const listeners = new Set<(path: string) => void>();
  let watcher: FSWatcher | undefined;

  const fileOf = (path: string) => {
    const file = resolve(root, path);
    if (!file.startsWith(root + sep)) throw new ProviderError('path escapes the secrets directory');
    return file;
  };
  const changed = () => {
    // Kubernetes swaps a symlink, so the event names `..data`, not the secret: tell every
    // listener about every known path and let the cache decide what really changed.
    for (const path of known.keys()) for (const listener of listeners) listener(path);
  };

  return {
    kind: 'file',
    versions: false,
    async read(path) {
      const file = fileOf(path);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ProviderError(`cannot stat ${path}: ${(error as NodeJS.ErrnoException).code}`);
      }
      if (!info.isFile()) throw new ProviderError(`${path} is not a file`);
      if (info.size > maxBytes) throw new ProviderError(`${path} is larger than ${maxBytes} bytes`);
      const stamp = `${info.mtimeMs}:${info.size}:${info.ino}`;
      const cached = known.get(path);
      if (cached?.stamp === stamp) return { value: cached.value };
      let value: string;
      try {
        value = await readFile(file, 'utf8');
      } catch (error) {
        throw new ProviderError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code}`);
      }
      if (trim) value = value.replace(/\r?\n$/, '');
      known.set(path, { stamp, value });
      return { value };
    },
    watch(onChange) {
      listeners.add(onChange);
      if (!watcher) {
        try {
          watcher = watch(root, { recursive: false }, changed);
          watcher.on('error', () => {});
          watcher.unref();
        } catch {
          // no watch support (or no directory yet): the poll still sees changes
        }
      }
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0) {
          watcher?.close();
          watcher = undefined;
        }
      };
    },
    async close() {
      watcher?.close();
      watcher = undefined;
      listeners.clear();
      known.clear();
    },
  };
}
