import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { KeyProviderError } from '../errors.js';
import { checkKeks, type KeyProvider, localWrapper } from './provider.js';

/** The key file: `{ "current": "kek-2", "keys": { "kek-1": "<base64 of 32 bytes>", "kek-2": "…" } }`. */
export interface KeyFile {
  current: string;
  keys: Record<string, string>;
}

export interface LocalKeyProvider extends KeyProvider {
  /** Reads the file again (after `rotateKeyFile`), so new wraps use its current KEK. */
  reload(): Promise<void>;
}

async function load(path: string): Promise<{ keys: Map<string, Buffer>; current: string }> {
  let file: KeyFile;
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  } catch (cause) {
    throw new KeyProviderError(`key file ${path} cannot be read as JSON`, cause);
  }
  const mode = (await stat(path)).mode & 0o077;
  if (mode !== 0 && process.platform !== 'win32')
    throw new KeyProviderError(`key file ${path} is readable by group or others: chmod 600 it`);
  const keys = new Map(
    Object.entries(file.keys ?? {}).map(([id, k]) => [id, Buffer.from(String(k), 'base64')]),
  );
  checkKeks(keys, file.current, `key file ${path}`);
  return { keys, current: file.current };
}

/**
 * KEKs from a local JSON key file (mode 600): for development and single-host setups.
 * Production should wrap with a KMS or a vault behind the same `KeyProvider` interface.
 *
 * @example
 * await createKeyFile('./keys.json'); // once
 * const keys = localKeyProvider({ path: './keys.json' });
 */
export function localKeyProvider(options: { path: string }): LocalKeyProvider {
  let loaded: Promise<{ keys: Map<string, Buffer>; current: string }> | undefined;
  const keks = () => {
    loaded ??= load(options.path).catch((error) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  return {
    ...localWrapper(keks),
    async reload() {
      loaded = undefined;
      await keks();
    },
  };
}

async function save(path: string, file: KeyFile): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(tmp, path);
}

/** Writes a new key file with one random KEK (`kek-1`); refuses to overwrite an existing file. */
export async function createKeyFile(path: string): Promise<KeyFile> {
  const file = { current: 'kek-1', keys: { 'kek-1': randomBytes(32).toString('base64') } };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Adds a random KEK to a key file and makes it current; the older KEKs stay for unwrapping. Returns its id. */
export async function rotateKeyFile(path: string): Promise<string> {
  const file = JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  let n = Object.keys(file.keys).length + 1;
  while (Object.hasOwn(file.keys, `kek-${n}`)) n++;
  const id = `kek-${n}`;
  await save(path, {
    current: id,
    keys: { ...file.keys, [id]: randomBytes(32).toString('base64') },
  });
  return id;
}
