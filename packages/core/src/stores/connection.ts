interface Emitter {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}

const isEmitter = (v: unknown): v is Emitter =>
  typeof (v as Emitter | null)?.on === 'function' &&
  (typeof (v as Emitter).off === 'function' || typeof (v as Emitter).removeListener === 'function');

/** One outage, reported once: `lost()` reports the first error, `ok()` ends the outage. */
export interface ConnectionWatch {
  lost(error: unknown): void;
  ok(): void;
}

/**
 * Reports a lost connection once per outage: the first `lost()` calls `report`, later ones
 * stay quiet until `ok()` (a reconnect, or a statement that went through) ends the outage.
 * A throwing `report` is swallowed: it runs from 'error' listeners, where a throw would be
 * the crash they prevent.
 *
 * @example
 * const watch = connectionWatch((err) => logger.warn({ err: err.message }, 'PostgreSQL connection lost'));
 * await withTransaction(pool, write, { onConnectionError: watch.lost });
 * watch.ok();
 */
export function connectionWatch(report: (error: Error) => void): ConnectionWatch {
  let down = false;
  return {
    lost(error) {
      if (down) return;
      down = true;
      try {
        report(error instanceof Error ? error : new Error(String(error)));
      } catch {
        // see above
      }
    },
    ok() {
      down = false;
    },
  };
}

/**
 * Keeps a `pg` Pool or Client from taking the process down: without an `'error'` listener,
 * an idle connection the server (or the network) drops throws `Unhandled 'error' event`.
 * The listener reports the first error of an outage; the next one is reported only after
 * the pool connected again (its `'connect'` event). `report` may be a `connectionWatch` the
 * store also feeds itself. Clients without events (PGlite) are left alone. Returns a
 * function that removes the listeners.
 *
 * @example
 * const unwatch = watchPoolErrors(pool, (err) => logger.warn({ err: err.message }, 'PostgreSQL connection lost'));
 */
export function watchPoolErrors(
  client: unknown,
  report: ((error: Error) => void) | ConnectionWatch,
): () => void {
  if (!isEmitter(client)) return () => undefined;
  const watch = typeof report === 'function' ? connectionWatch(report) : report;
  const onError = (error: unknown) => watch.lost(error);
  const onConnect = () => watch.ok();
  client.on('error', onError);
  client.on('connect', onConnect);
  return () => {
    const off = (client.off ?? client.removeListener)?.bind(client);
    off?.('error', onError);
    off?.('connect', onConnect);
  };
}
