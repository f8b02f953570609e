import { SubjectErasedError } from '../errors.js';
import { isSealed } from '../format/envelope.js';
import { expandPath, findStrings, getPath, setPath } from './paths.js';

/** What a field of an erased subject reads as after `decryptFields`. */
export const ERASED = '[ERASED]';

/** Seals one value (any JSON) for a tenant or subject, bound to `aad`. */
export type SealOne = (value: unknown, aad: string) => Promise<string>;
/** Opens one sealed value bound to `aad`. */
export type OpenOne = (sealed: string, aad: string) => Promise<unknown>;

/** `${prefix}/${path}`: the associated data of a field, binding it to its row and place. */
export const fieldAad = (prefix: string, path: string) => `${prefix}/${path}`;

/**
 * A deep copy of `value` with the fields at `paths` sealed (values already sealed are left
 * as they are). Each field's associated data is `aad/<path>`: moved to another row or
 * field, it no longer opens.
 */
export async function sealFields<T>(
  value: T,
  paths: readonly string[],
  aad: string,
  seal: SealOne,
): Promise<T> {
  const copy = structuredClone(value);
  for (const pattern of paths) {
    for (const path of expandPath(copy, pattern)) {
      const v = getPath(copy, path);
      if (!isSealed(v)) setPath(copy, path, await seal(v, fieldAad(aad, path)));
    }
  }
  return copy;
}

/** What `decryptFields` returns: the opened copy and the paths whose subject was erased. */
export interface OpenedFields<T> {
  value: T;
  /** Paths that read `[ERASED]`: their subject's key was destroyed. */
  erased: string[];
}

/**
 * A deep copy of `value` with its sealed fields opened: those at `paths`, or every sealed
 * string when `paths` is omitted. Fields of an erased subject become `ERASED` (listed in
 * `erased`); a tampered or misplaced field throws a CiphertextError.
 */
export async function openFields<T>(
  value: T,
  aad: string,
  open: OpenOne,
  paths?: readonly string[],
): Promise<OpenedFields<T>> {
  const copy = structuredClone(value);
  const erased: string[] = [];
  const found = paths
    ? paths.flatMap((p) => expandPath(copy, p)).filter((p) => isSealed(getPath(copy, p)))
    : findStrings(copy, isSealed);
  for (const path of found) {
    try {
      setPath(copy, path, await open(getPath(copy, path) as string, fieldAad(aad, path)));
    } catch (error) {
      if (!(error instanceof SubjectErasedError)) throw error;
      setPath(copy, path, ERASED);
      erased.push(path);
    }
  }
  return { value: copy, erased };
}
