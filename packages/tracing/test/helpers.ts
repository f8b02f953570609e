import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express, NextFunction, Request, Response } from 'express';
import { tracingErrors } from '../src/express.js';

/** A pino destination that keeps parsed JSON lines in memory. */
export function memoryDestination(): Writable & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return Object.assign(stream, { lines });
}

export interface FakeServer {
  url: string;
  seen: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A loopback HTTP server answering every request with `body` as JSON. */
export async function fakeServer(body: unknown, status = 200): Promise<FakeServer> {
  const seen: FakeServer['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Finishes an Express app the way the tracing tests need it: `tracingErrors()`, then a last
 * handler answering 500 with no body, served on a loopback port.
 */
export async function serveTraced(app: Express): Promise<{ server: Server; base: string }> {
  app.use(tracingErrors());
  app.use((_err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).end();
  });
  const server = createServer(app);
  return { server, base: await listen(server) };
}
