import {
  ProviderError,
  SecretError,
  SecretNotFoundError,
  SecretReferenceError,
  SecretUnavailableError,
  SecretVersionUnsupportedError,
} from '../errors.js';
import type { SecretProvider, SecretRecord } from '../provider.js';
import type { SecretRef } from '../reference.js';

/** A record and the provider it came from. */
export interface Resolved extends SecretRecord {
  provider: string;
}

function reason(error: unknown): string {
  if (error instanceof ProviderError || (error instanceof Error && error.name === 'AbortError'))
    return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  // A foreign provider's message is kept out: it might quote what it read.
  return error instanceof Error ? error.name : 'failed';
}

async function readOne(
  name: string,
  provider: SecretProvider,
  ref: SecretRef,
  timeoutMs: number,
): Promise<Resolved | undefined> {
  if (ref.version !== undefined && !provider.versions)
    throw new SecretVersionUnsupportedError(ref.text, name);
  // The deadline settles the race first, then aborts the provider's request: the error says
  // "timed out", not whatever the aborted request reports.
  const controller = new AbortController();
  const signal = controller.signal;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ProviderError(`timed out after ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    const record = await Promise.race([
      provider.read(ref.path, { version: ref.version, signal }),
      deadline,
    ]);
    return record === undefined ? undefined : { ...record, provider: name };
  } catch (error) {
    if (error instanceof SecretError) throw error; // a configuration problem, not an outage
    // Only our own errors travel as the cause: a logger serializing causes (pino does) must
    // not print a foreign provider's message, which might quote what it read.
    throw new SecretUnavailableError(
      ref.text,
      name,
      reason(error),
      error instanceof ProviderError ? error : undefined,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a reference from its provider, or, for a plain name, from each provider in order
 * until one has it. A provider that fails stops the walk: falling through to the next one
 * could serve an older value the host meant to retire.
 */
export async function fetchRecord(
  providers: ReadonlyMap<string, SecretProvider>,
  ref: SecretRef,
  timeoutMs: number,
): Promise<Resolved> {
  if (ref.provider !== undefined) {
    const provider = providers.get(ref.provider);
    if (!provider)
      throw new SecretReferenceError(
        ref.text,
        `no provider named "${ref.provider}" (configured: ${[...providers.keys()].join(', ')})`,
      );
    const record = await readOne(ref.provider, provider, ref, timeoutMs);
    if (record) return record;
    throw new SecretNotFoundError(ref.text, `provider "${ref.provider}"`);
  }
  const asked: string[] = [];
  for (const [name, provider] of providers) {
    if (ref.version !== undefined && !provider.versions) continue;
    asked.push(name);
    const record = await readOne(name, provider, ref, timeoutMs);
    if (record) return record;
  }
  if (asked.length === 0)
    throw new SecretVersionUnsupportedError(ref.text, [...providers.keys()].join(', '));
  throw new SecretNotFoundError(ref.text, `providers ${asked.join(', ')}`);
}

/** The string a reference names inside a record: the whole value, or one key of a map. */
export function selectValue(record: SecretRecord, ref: SecretRef): string {
  let value = record.value;
  if (typeof value === 'string' && ref.key !== undefined) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        value = parsed as Record<string, string>;
    } catch {
      // not JSON: no keys to select from
    }
  }
  if (typeof value === 'string') {
    if (ref.key === undefined) return value;
    throw new SecretNotFoundError(
      ref.text,
      `the secret is a single value, it has no key "${ref.key}"`,
    );
  }
  const keys = Object.keys(value);
  const key =
    ref.key ?? (keys.includes('value') ? 'value' : keys.length === 1 ? keys[0] : undefined);
  if (key === undefined)
    throw new SecretReferenceError(
      ref.text,
      `the secret holds several keys (${keys.join(', ')}): name one with #<key>`,
    );
  const selected = value[key];
  if (selected === undefined)
    throw new SecretNotFoundError(ref.text, `no key "${key}" in the secret`);
  return typeof selected === 'string' ? selected : JSON.stringify(selected);
}
