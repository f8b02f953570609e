import { memoize } from '@platform/core';
/**
 * Canonical JSON: object keys sorted (UTF-16 order), `undefined` members dropped, no
 * whitespace, otherwise exactly `JSON.stringify`. The same event always serializes to the
 * same bytes, whichever store returned it. It runs for every event on the write path, so
 * it is written to allocate little more than its result: the pieces go into one reused
 * array, joined once, instead of a concatenation per member and per quoted value.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, undefined);
}

/**
 * `canonicalJson({ ...value, ...overrides })` without making that copy: the chain hashes
 * each event with its `seq` and `recordedAt` added, once per event on the write path.
 */
export function canonicalJsonWith(
  value: Record<string, unknown>,
  overrides: Record<string, unknown>,
): string {
  // the copy it stands for would carry an own `toJSON`: rare enough to make that copy
  if (typeof value.toJSON === 'function' || typeof overrides.toJSON === 'function')
    return canonicalJson({ ...value, ...overrides });
  return serialize(value, overrides);
}

/** The pieces of one document. `n` are in use; the slots past it hold `''`. */
interface Pieces {
  list: string[];
  n: number;
}

// Shared by every call; a call made while it is in use (a `toJSON` that serializes)
// gets its own. A list grown past MAX_KEPT pieces (a large document) is let go: every join
// walks the whole list, the empty slots included.
let shared: Pieces | undefined = { list: [], n: 0 };
const MAX_KEPT = 512;

function serialize(value: unknown, overrides: Record<string, unknown> | undefined): string {
  const p = shared ?? { list: [], n: 0 };
  shared = undefined;
  try {
    if (overrides) members(p, value as Record<string, unknown>, overrides);
    else write(p, value);
    return p.list.join('');
  } finally {
    for (let i = 0; i < p.n; i++) p.list[i] = '';
    p.n = 0;
    if (p.list.length <= MAX_KEPT) shared = p;
  }
}

function write(p: Pieces, value: unknown): void {
  switch (typeof value) {
    case 'string':
      quote(p, value);
      return;
    case 'number':
      p.list[p.n++] = Number.isFinite(value) ? String(value) : 'null';
      return;
    case 'boolean':
      p.list[p.n++] = value ? 'true' : 'false';
      return;
    case 'object': {
      if (value === null) p.list[p.n++] = 'null';
      else if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        write(p, JSON.parse(JSON.stringify(value)));
      else if (Array.isArray(value)) {
        p.list[p.n++] = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) p.list[p.n++] = ',';
          const x = value[i];
          if (x === undefined || typeof x === 'function' || typeof x === 'symbol')
            p.list[p.n++] = 'null';
          else write(p, x);
        }
        p.list[p.n++] = ']';
      } else members(p, value as Record<string, unknown>, undefined);
      return;
    }
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    default:
      p.list[p.n++] = 'null';
  }
}

function members(
  p: Pieces,
  value: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): void {
  const keys = Object.keys(value);
  if (overrides) for (const k of Object.keys(overrides)) if (!keys.includes(k)) keys.push(k);
  sortKeys(keys);
  let first = true;
  for (const k of keys) {
    const v = overrides && Object.hasOwn(overrides, k) ? overrides[k] : value[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    p.list[p.n++] = first ? firstMember(k) : nextMember(k);
    first = false;
    write(p, v);
  }
  p.list[p.n++] = first ? '{}' : '}';
}

/**
 * Sorts in place in UTF-16 order, as `Array.prototype.sort()` does for strings. Objects
 * have a handful of keys: an insertion sort allocates nothing, where the built-in sort
 * allocates about a kilobyte of work state per call.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = k;
  }
}

// Most values need no escaping: they go in between two quotes as they are. Anything with a
// quote, backslash, control character or surrogate goes to JSON.stringify, which escapes
// exactly as JSON requires (lone surrogates included).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function quote(p: Pieces, s: string): void {
  if (NEEDS_ESCAPE.test(s)) p.list[p.n++] = JSON.stringify(s);
  else {
    p.list[p.n++] = '"';
    p.list[p.n++] = s;
    p.list[p.n++] = '"';
  }
}

// Event keys repeat endlessly (`actor`, `requestId`, …): quote each once, with what comes
// before it and its colon. Bounded, so metadata with ever-new keys cannot grow them without limit.
const firstMember = memoize((k) => `{${JSON.stringify(k)}:`, 4096);
const nextMember = memoize((k) => `,${JSON.stringify(k)}:`, 4096);
