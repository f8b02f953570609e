/**
 * `fn` with its answers remembered per key, for the small sets of keys that come back on
 * every request (route templates, log and event field names). Bounded: past `max` keys, new
 * keys are computed each time and never stored, so a flood of distinct keys costs no memory.
 * An `undefined` answer is not remembered (one map lookup per call on the hot path).
 *
 * @example
 * const isSecret = memoize((key) => SECRET_KEYS.has(key.toLowerCase()), 2048);
 */
export function memoize<V>(fn: (key: string) => V, max: number): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (value !== undefined && known.size < max) known.set(key, value);
    return value;
  };
}
