import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a local port, for outage tests: point a client at
 * `proxy.port`, then `cut(ms)` (every open connection destroyed, new ones reset for `ms`)
 * or `stop()` / `start()` (a closed port until started again, on the same port).
 *
 * @example
 * const proxy = new TcpProxy(5432);
 * await proxy.start();
 * const pool = new pg.Pool({ port: proxy.port });
 * proxy.cut(2_000); // PostgreSQL "goes away" for two seconds
 */
export class TcpProxy {
  port = 0;
  /** Holds every chunk, both ways, this long (in order): a slow but healthy link. */
  delayMs = 0;
  /** Connections accepted (and passed on) since the proxy was made. */
  accepted = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private refuseUntil = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      if (Date.now() < this.refuseUntil) {
        client.resetAndDestroy();
        return;
      }
      this.accepted++;
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      this.forward(client, upstream);
      this.forward(upstream, client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** Destroys every open connection now and resets new ones for `refuseMs`. */
  cut(refuseMs = 0): void {
    this.refuseUntil = Date.now() + refuseMs;
    for (const s of this.sockets) s.destroy();
  }

  /** Open connections, both sides counted. */
  get open(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `url` (postgres://, redis://) pointed at this proxy instead of its own port. */
  urlFor(url: string): string {
    const u = new URL(url);
    u.port = String(this.port);
    return u.toString();
  }

  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      if (this.delayMs <= 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), this.delayMs);
    });
    from.on('end', () => to.end());
  }
}
