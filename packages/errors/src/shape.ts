/** Structural helpers shared by the categorize rules; they never look at message text. */

export type Loose = Record<string | symbol, unknown>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

export function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/** Constructor names along the prototype chain (`RateLimitError`, `APIError`, `OpenAIError`, ...). */
export function classNames(value: object): string[] {
  const names: string[] = [];
  let proto: unknown = Object.getPrototypeOf(value);
  for (let depth = 0; isObject(proto) && depth < 8; depth++) {
    const ctor = proto.constructor;
    if (typeof ctor === 'function' && ctor.name) names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

/** The error itself and its `cause`s, bounded and cycle-safe. */
export function causes(value: unknown, max = 8): unknown[] {
  const chain: unknown[] = [];
  let current = value;
  while (current !== undefined && current !== null && chain.length < max) {
    if (chain.includes(current)) break;
    chain.push(current);
    current = isObject(current) ? current.cause : undefined;
  }
  return chain;
}

/** One header from a `Headers` instance or a plain (any-case) header object. */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  if (typeof headers.get === 'function') {
    const v: unknown = (headers.get as (n: string) => unknown)(name);
    return typeof v === 'string' ? v : undefined;
  }
  for (const [key, v] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

const MAX_RETRY_AFTER = 86_400;

/** Seconds to wait from `retry-after-ms` or `retry-after` (delta seconds or HTTP date). */
export function retryAfterFrom(headers: unknown, now = Date.now()): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) {
    return Math.min(Math.ceil(Number(ms) / 1000), MAX_RETRY_AFTER);
  }
  const value = headerValue(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_RETRY_AFTER);
}

export function isHeadersLike(value: unknown): boolean {
  return isObject(value) && (typeof value.get === 'function' || !Array.isArray(value));
}
