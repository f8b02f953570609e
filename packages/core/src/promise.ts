/**
 * True when `value` is a promise (any thenable): how an API that answers synchronously when
 * it can (`T | Promise<T>`) tells a value now from one later without awaiting, and so without
 * a microtask on the synchronous path.
 *
 * @example
 * const decision = store.consume(checks);
 * if (isPromise(decision)) return decision.then(finish);
 * return finish(decision);
 */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
