import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, Socket } from 'node:net';
import {
  type GaugeSample,
  type MetricsBackend,
  type NeutralHandler,
  nodeRequest,
  problemAnswer,
  writeAnswer,
} from '@platform/core';
import type { CheckResult, HealthTransition } from '../src/health/index.js';

/** A real HTTP server on 127.0.0.1 serving one neutral handler; `close()` ends it. */
export async function serve(
  handler: NeutralHandler,
  base = '',
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const answer = await handler(nodeRequest(req, { base }));
    await writeAnswer(res, answer ?? problemAnswer(404, { title: 'Not Found' }));
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy on 127.0.0.1 in front of a shared service: `cut()` closes the listener and
 * every connection through it (the service itself is untouched), `restore()` listens on the
 * same port again.
 */
export async function tcpProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  const make = () =>
    createTcpServer((client) => {
      const upstream = new Socket();
      sockets.add(client);
      sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      upstream.connect(targetPort, '127.0.0.1', () => {
        client.pipe(upstream).pipe(client);
      });
    });
  let server = make();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async restore() {
      server = make();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}

/** A metrics backend that keeps each gauge's collect function, to read what a scrape would. */
export function gaugeReader() {
  const gauges = new Map<string, () => GaugeSample[]>();
  const noop = { inc() {}, observe() {}, set() {}, dec() {} };
  const backend: MetricsBackend = {
    counter: () => noop,
    histogram: () => noop,
    gauge(spec, collect) {
      gauges.set(spec.name, collect);
      return noop;
    },
  };
  return {
    backend,
    read(name: string): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [labels, value] of gauges.get(name)?.() ?? []) {
        out[Object.values(labels).join(',')] = value;
      }
      return out;
    },
  };
}

/** The body of `/health/status`. */
export interface StatusBody {
  status: string;
  checks: CheckResult[];
  history: HealthTransition[];
}

/** GETs `url` and parses its JSON body as a `/health/status` body. */
export async function statusOf(url: string): Promise<StatusBody & { code: number }> {
  const res = await fetch(url);
  return { code: res.status, ...((await res.json()) as StatusBody) };
}
