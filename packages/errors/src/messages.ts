/** A text, or the same text per locale (`{ en: 'Not found', de: 'Nicht gefunden' }`). */
export type Localized = string | Readonly<Record<string, string>>;

/** Texts keyed by error code or category. */
export type MessageTable = Readonly<Record<string, Localized>>;

export const LOCALE_PATTERN = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,4}$/;
const MAX_RANGES = 20;

/**
 * The language tags of an `Accept-Language` header, best first (by q, then by order).
 * Malformed entries, `*` and `q=0` are dropped; at most 20 are read.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const ranges: { tag: string; q: number; i: number }[] = [];
  const parts = header.slice(0, 1024).split(',', MAX_RANGES);
  parts.forEach((part, i) => {
    const [rawTag = '', ...params] = part.split(';');
    const tag = rawTag.trim();
    if (!LOCALE_PATTERN.test(tag)) return;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    if (Number.isFinite(q) && q > 0 && q <= 1) ranges.push({ tag, q, i });
  });
  return ranges.sort((a, b) => b.q - a.q || a.i - b.i).map((r) => r.tag);
}

/**
 * Picks the text for the first preferred locale the entry has: exact tag first, then the
 * same primary language (`de-AT` finds `de`, `de` finds `de-CH`).
 */
export function localize(
  entry: Localized | undefined,
  preferred: readonly string[],
): string | undefined {
  if (entry === undefined || typeof entry === 'string') return entry;
  const keys = Object.keys(entry);
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    const primary = lower.split('-')[0];
    const exact = keys.find((k) => k.toLowerCase() === lower);
    const near = exact ?? keys.find((k) => k.toLowerCase().split('-')[0] === primary);
    if (near !== undefined) return entry[near];
  }
  return undefined;
}
