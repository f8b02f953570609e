/** A `pg` Pool (LISTEN on one pooled connection) or anything with PGlite's `listen()`. */
export type NotificationSource =
  | { connect(): Promise<ListenConnection> }
  | { listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>> };

interface ListenConnection {
  query(text: string): Promise<unknown>;
  on(event: 'notification', cb: (msg: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  release?(err?: Error | boolean): void;
  end?(): Promise<void>;
}

interface Handlers {
  onNotify: () => void;
  /** true once LISTEN is active, false when it drops (polling takes over). */
  onState: (listening: boolean) => void;
}

/**
 * Listens on `channel`, reconnecting with backoff. Returns a stop function. Sources that
 * support neither form are ignored (the caller polls).
 */
export function listenFor(source: unknown, channel: string, h: Handlers): () => void {
  let stopped = false;
  let cleanup: (() => void) | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 500;
  const s = source as Partial<{
    connect: () => Promise<ListenConnection>;
    listen: (c: string, cb: (p: string) => void) => Promise<() => Promise<void>>;
  }>;
  const again = () => {
    h.onState(false);
    if (stopped) return;
    retry = setTimeout(attempt, delay);
    retry.unref();
    delay = Math.min(delay * 2, 10_000);
  };
  const attempt = async () => {
    try {
      if (typeof s.listen === 'function') {
        const unlisten = await s.listen(channel, () => h.onNotify());
        if (stopped) return void unlisten();
        cleanup = () => void unlisten().catch(() => {});
      } else if (typeof s.connect === 'function') {
        const conn = await s.connect();
        let dead = false;
        const drop = (err?: Error) => {
          if (dead) return;
          dead = true;
          conn.release?.(err ?? true);
          if (!stopped) again();
        };
        conn.on('notification', (msg) => {
          if (msg.channel === channel) h.onNotify();
        });
        conn.on('error', drop);
        if (stopped) return void conn.release?.(true);
        await conn.query(`LISTEN "${channel}"`);
        cleanup = () => {
          dead = true;
          conn.query(`UNLISTEN "${channel}"`).then(
            () => conn.release?.(),
            () => conn.release?.(true),
          );
        };
      } else return;
      delay = 500;
      h.onState(true);
    } catch {
      again();
    }
  };
  void attempt();
  return () => {
    stopped = true;
    clearTimeout(retry);
    cleanup?.();
  };
}

export interface ChangeFeedOptions {
  /** Where LISTEN runs; `undefined`: polling only. */
  source: unknown;
  channel: string;
  /** A cheap query whose result changes with every write. */
  fingerprint: () => Promise<string>;
  /** Polling interval while LISTEN is down (15 s while it is up, as a safety net). */
  pollIntervalMs: number;
  onChange: () => void;
}

/**
 * Follows a store's changes: LISTEN/NOTIFY when available, a fingerprint poll as the
 * fallback (and after a reconnect, to catch what was missed). Returns a stop function.
 */
export function changeFeed(o: ChangeFeedOptions): () => void {
  let last: string | undefined;
  let listening = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const poll = async () => {
    try {
      const f = await o.fingerprint();
      if (last !== undefined && f !== last) o.onChange();
      last = f;
    } catch {
      // unreachable: try again next tick; the client keeps its snapshot
    }
    if (!stopped) {
      timer = setTimeout(poll, listening ? 15_000 : o.pollIntervalMs);
      timer.unref();
    }
  };
  void poll();
  const unlisten =
    o.source === undefined
      ? undefined
      : listenFor(o.source, o.channel, {
          onNotify: o.onChange,
          onState: (up) => {
            listening = up;
            if (up) o.onChange();
          },
        });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unlisten?.();
  };
}
