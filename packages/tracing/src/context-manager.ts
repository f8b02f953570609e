import { type Context, context as otelContext, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type ContextSlot, contextSlot, processSingleton } from '@platform/core';

/**
 * The OpenTelemetry context, kept in core's AsyncLocalStorage beside the request context,
 * and the context manager `initTracing` registered: one of each per process, so the
 * CommonJS and ESM builds of the bindings enter the context the one registered manager
 * reads.
 */
const shared = processSingleton('@platform/tracing.contextManager', 1, () => ({
  slot: contextSlot<Context>('opentelemetry') as ContextSlot<Context>,
  installed: undefined as PlatformContextManager | undefined,
}));
const slot = shared.slot;

/**
 * The OpenTelemetry context manager `initTracing` registers: AsyncLocalStorage semantics
 * (and `bind` for functions and event emitters, inherited), but the active context
 * lives in a slot of @platform/core's request-context storage, so a request carries one
 * AsyncLocalStorage store through its async operations instead of two, and the request
 * bindings enter the SERVER span's context without opening another scope.
 */
export class PlatformContextManager extends AsyncLocalStorageContextManager {
  #enabled = false;

  override active(): Context {
    return (this.#enabled && slot.get()) || ROOT_CONTEXT;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (!this.#enabled) return fn.apply(thisArg, args);
    const cb = thisArg == null ? fn : fn.bind(thisArg);
    return slot.run(context, cb, ...args);
  }

  override enable(): this {
    this.#enabled = true;
    shared.installed = this;
    return this;
  }

  override disable(): this {
    this.#enabled = false;
    if (shared.installed === this) shared.installed = undefined;
    return this;
  }

  /** Not supported: the active context changes only through `with()` (or a request binding). */
  override attach(): never {
    throw new TypeError(
      '@platform/tracing: attach() is not supported by its context manager; use context.with()',
    );
  }
}

/**
 * Runs the rest of a request in `context`: set in place in the request's own scope
 * when our context manager is the active one and core opened the scope, else through
 * `context.with()` (any context manager).
 */
export function enterContext(context: Context, next: () => void): void {
  if (shared.installed && slot.set(context)) next();
  else otelContext.with(context, next);
}
