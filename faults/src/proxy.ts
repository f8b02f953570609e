import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does to the bytes between its clients and the upstream. */
export type ProxyMode = 'pass' | 'cut' | 'stall' | 'slow';

export interface FaultProxy {
  /** The loopback port clients connect to. */
  readonly port: number;
  readonly mode: ProxyMode;
  /** Connections accepted so far, and connections it destroyed when cut. */
  stats(): { accepted: number; destroyed: number; open: number };
  /** Destroys every connection and refuses new ones (the port is closed) until `heal()`. */
  cut(): Promise<void>;
  /** Keeps connections open and accepts new ones, but passes no bytes until `heal()`. */
  stall(): void;
  /** Delays every chunk, each way, by `delayMs` (one timer per direction at a time). */
  slow(delayMs: number): void;
  /** Back to passing bytes through; stalled bytes flow, the port accepts again. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
  timers: Set<NodeJS.Timeout>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `upstreamPort`, for outage tests: it can cut,
 * stall and slow the connections that pass through it.
 *
 * @example
 * const pg = await faultProxy(5432);
 * await pg.cut(); // the app's pool sees its connections die and new ones refused
 * await pg.heal();
 */
export async function faultProxy(
  upstreamPort: number,
  upstreamHost = '127.0.0.1',
): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  let accepted = 0;
  let destroyed = 0;

  /** Forwards `from` to `to`, honouring stall (pause) and slow (delay, in order). */
  const pipe = (pair: Pair, from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (mode === 'slow' && delayMs > 0) {
        from.pause();
        const timer = setTimeout(() => {
          pair.timers.delete(timer);
          if (!to.destroyed) to.write(chunk);
          if (mode !== 'stall' && !from.destroyed) from.resume();
        }, delayMs);
        pair.timers.add(timer);
        return;
      }
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => mode !== 'stall' && from.resume());
      }
    });
    from.on('end', () => to.end());
  };

  const drop = (pair: Pair) => {
    for (const t of pair.timers) clearTimeout(t);
    pair.timers.clear();
    pair.client.destroy();
    pair.upstream?.destroy();
    pairs.delete(pair);
  };

  const link = (pair: Pair) => {
    const upstream = connect(upstreamPort, upstreamHost);
    pair.upstream = upstream;
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    pipe(pair, pair.client, upstream);
    pipe(pair, upstream, pair.client);
  };

  const onConnection = (client: Socket) => {
    accepted++;
    const pair: Pair = { client, timers: new Set() };
    pairs.add(pair);
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    if (mode === 'stall') client.pause();
    else link(pair);
  };

  let server: Server = createServer(onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const listen = async () => {
    if (server.listening) return;
    server = createServer(onConnection);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  };
  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  return {
    port,
    get mode() {
      return mode;
    },
    stats: () => ({ accepted, destroyed, open: pairs.size }),
    async cut() {
      mode = 'cut';
      const closing = stopListening();
      for (const pair of [...pairs]) {
        destroyed++;
        drop(pair);
      }
      await closing;
    },
    stall() {
      mode = 'stall';
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream?.pause();
      }
    },
    slow(ms) {
      mode = 'slow';
      delayMs = ms;
    },
    async heal() {
      const was = mode;
      mode = 'pass';
      delayMs = 0;
      if (was === 'cut') await listen();
      for (const pair of pairs) {
        if (!pair.upstream) link(pair);
        pair.client.resume();
        pair.upstream?.resume();
      }
    },
    async close() {
      mode = 'cut';
      const closing = stopListening();
      for (const pair of [...pairs]) drop(pair);
      await closing;
    },
  };
}
