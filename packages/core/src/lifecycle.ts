import { onShutdown } from './shutdown.js';

/** The verbs of everything that buffers or holds a connection. */
export interface Lifecycle {
  /** Writes out what is buffered; resolves once it is durable (or given up on). */
  flush(): Promise<void>;
  /** Flushes, then releases timers and connections. Idempotent. */
  close(): Promise<void>;
}

/** The lifecycle option every package accepts, under this name. */
export interface LifecycleOptions {
  /**
   * Close this component with core's `shutdown()` (on SIGTERM/SIGINT once
   * `installSignalHandlers()` ran). Default true; false when the host closes it itself.
   */
  shutdown?: boolean;
}

/**
 * Registers a component's `close()` with core's shutdown registry unless
 * `options.shutdown === false`. Returns the unregister function (call it from `close()` so
 * a component closed by hand is not closed twice).
 *
 * @example
 * const unregister = manage('audit-writer', writer, options);
 */
export function manage(
  name: string,
  component: Pick<Lifecycle, 'close'>,
  options: LifecycleOptions = {},
  timeoutMs?: number,
): () => void {
  if (options.shutdown === false) return () => {};
  return onShutdown(() => component.close(), { name, timeoutMs });
}
