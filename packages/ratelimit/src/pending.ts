/** A value now, or later: what synchronous stores (memory) answer without a promise. */
export type Pending<T> = T | Promise<T>;

export { isPromise } from '@platform/core';
