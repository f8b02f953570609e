import type { RequestContext } from './context.js';
import { processSingleton } from './singleton.js';

/**
 * Per-request state for the packages: one core-owned array on the request context, so no
 * package keeps a private symbol or WeakMap on a framework's request object. Shared by
 * every copy of this module (see processSingleton).
 */
const shared = processSingleton('@platform/core.requestState', 1, () => ({
  key: Symbol.for('@platform/core.requestState'),
  count: 0,
}));
const KEY = shared.key;
type Holder = { [KEY]?: unknown[] };

/**
 * The key core's bindings put on every context they create (`[REQUEST_STATE]: undefined`),
 * so setting the first slot replaces a value instead of changing the object's shape: a
 * context keeps one hidden class, and every reader of it stays monomorphic.
 */
export const REQUEST_STATE: symbol = KEY;

/** A value kept for one request on its context (see `requestSlot`). */
export interface RequestSlot<T> {
  readonly name: string;
  /** The value for this request, if set. */
  get(context: RequestContext | undefined): T | undefined;
  /** Sets the value for this request; false (and nothing kept) without a context. */
  set(context: RequestContext | undefined, value: T): boolean;
}

/**
 * A slot for one package's per-request state (the limiters already spent, the request's
 * span, its bound flags), kept on core's request context and found again from any
 * middleware or hook through `contextOf(req)` / `getContext()`. Each call makes a new slot.
 *
 * @example
 * const spent = requestSlot<string[]>('ratelimit.spent');
 * spent.set(getContext(), ['api']);
 */
export function requestSlot<T>(name: string): RequestSlot<T> {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('requestSlot: name must be a non-empty string');
  const index = shared.count++;
  return {
    name,
    get(context) {
      return (context as unknown as Holder | undefined)?.[KEY]?.[index] as T | undefined;
    },
    set(context, value) {
      if (!context) return false;
      const holder = context as unknown as Holder;
      const values = holder[KEY];
      if (values) values[index] = value;
      else {
        const created: unknown[] = [];
        created[index] = value;
        holder[KEY] = created;
      }
      return true;
    },
  };
}
