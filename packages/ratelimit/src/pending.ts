/** A value now, or later: what synchronous stores (memory) answer without a promise. */
export type Pending<T> = T | Promise<T>;

export function isPromise<T>(value: Pending<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}
