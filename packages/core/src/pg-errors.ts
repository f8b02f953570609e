interface Emitter {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}

const isEmitter = (v: unknown): v is Emitter =>
  typeof (v as Emitter | null)?.on === 'function' &&
  (typeof (v as Emitter).off === 'function' || typeof (v as Emitter).removeListener === 'function');

/**
 * Keeps a `pg` Pool or Client from taking the process down: without an `'error'` listener,
 * an idle connection the server (or the network) drops throws `Unhandled 'error' event`.
 * The listener reports the first error of an outage; the next one is reported only after
 * the pool connected again (its `'connect'` event). Clients without events (PGlite) are
 * left alone. Returns a function that removes the listeners.
 *
 * @example
 * const unwatch = watchPoolErrors(pool, (err) => logger.warn({ err: err.message }, 'PostgreSQL connection lost'));
 */
export function watchPoolErrors(client: unknown, report: (error: Error) => void): () => void {
  if (!isEmitter(client)) return () => undefined;
  let quiet = false;
  const onError = (error: unknown) => {
    if (quiet) return;
    quiet = true;
    try {
      report(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // a failing reporter must not turn into the crash this listener prevents
    }
  };
  const onConnect = () => {
    quiet = false;
  };
  client.on('error', onError);
  client.on('connect', onConnect);
  return () => {
    const off = (client.off ?? client.removeListener)?.bind(client);
    off?.('error', onError);
    off?.('connect', onConnect);
  };
}
