import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { diagnostics, shutdown } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as onExpress from '../src/express.js';
import * as onFastify from '../src/fastify.js';
import { createInspector, createLogger, getTracing, initTracing } from '../src/index.js';
import { LogLevels } from '../src/log-levels.js';
import * as onNext from '../src/next.js';
import { listen, memoryDestination } from './helpers.js';

describe('createLogger and core diagnostics', () => {
  it("the first logger created becomes core's default: every package's diagnostics go through it", () => {
    const first = memoryDestination();
    const second = memoryDestination();
    createLogger({ destination: first, module: 'app', levels: new LogLevels() });
    createLogger({ destination: second, module: 'other', levels: new LogLevels() });
    diagnostics('@platform/example').warn('EXAMPLE_FULL', 'queue full', { depth: 3 });
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(first.lines).toEqual([
          expect.objectContaining({
            level: 'warn',
            component: '@platform/example',
            code: 'EXAMPLE_FULL',
            depth: 3,
            msg: 'queue full',
          }),
        ]);
        expect(second.lines).toEqual([]);
        resolve();
      }),
    );
  });
});

describe('the span pipeline lifecycle', () => {
  it("has flush() and close(), and core's shutdown() closes it", async () => {
    const handle = initTracing({ exporter: 'memory' });
    handle.tracer.startSpan('kept').end();
    await handle.flush();
    expect(handle.memoryExporter!.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
    const report = await shutdown();
    expect(report.completed).toContain('tracing');
    expect(getTracing()).toBeUndefined();
    await handle.close(); // idempotent
  });

  it('shutdown: false (and the deprecated registerShutdown: false) leave it to the host', async () => {
    for (const options of [{ shutdown: false }, { registerShutdown: false }]) {
      const handle = initTracing({ exporter: 'memory', ...options });
      expect((await shutdown()).completed).not.toContain('tracing');
      expect(getTracing()).toBe(handle);
      await handle.close();
      expect(getTracing()).toBeUndefined();
    }
  });
});

/** The same log-level and inspector routes on each framework, over real HTTP. */
describe('logLevelRoute and inspectorRoute', () => {
  const levels = new LogLevels();
  const inspector = createInspector({ size: 10 });
  const bases: Record<string, string> = {};
  let server: Server;
  let nextServer: ServerType;
  let fastify: FastifyInstance;

  beforeAll(async () => {
    createLogger({ destination: memoryDestination(), module: 'billing', levels });
    const app = express();
    app.use(expressContext());
    app.use('/admin/log-levels', express.json(), onExpress.logLevelRoute(levels));
    app.use('/_dev/inspector', onExpress.inspectorRoute(inspector));
    server = createServer(app);
    bases.express = await listen(server);

    fastify = Fastify();
    await fastify.register(fastifyContext);
    fastify.all('/admin/log-levels/*', onFastify.logLevelRoute(levels));
    fastify.get('/_dev/inspector/*', onFastify.inspectorRoute(inspector));
    bases.fastify = await fastify.listen({ port: 0, host: '127.0.0.1' });

    const routes = {
      '/admin/log-levels': onNext.logLevelRoute(levels, { base: '/admin/log-levels' }),
      '/_dev/inspector': onNext.inspectorRoute(inspector, { base: '/_dev/inspector' }),
    };
    // the Next route handlers behind a Fetch server on Node, as `next start` runs them
    const fetch = (request: Request) => {
      const { pathname } = new URL(request.url);
      const mount = Object.keys(routes).find((m) => pathname.startsWith(m)) as keyof typeof routes;
      return routes[mount](request);
    };
    nextServer = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    bases.next = `http://127.0.0.1:${(nextServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await fastify.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await new Promise((r) => nextServer.close(r));
  });

  it.each(['express', 'fastify', 'next'])(
    '%s: sets, reads and resets a module level',
    async (fw) => {
      const url = `${bases[fw]}/admin/log-levels/billing`;
      const put = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ level: 'debug' }),
      });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({
        module: 'billing',
        level: 'debug',
        overridden: true,
      });
      expect(await (await fetch(url)).json()).toMatchObject({ level: 'debug' });
      const bad = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ level: 'loud' }),
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect(await (await fetch(url, { method: 'DELETE' })).json()).toMatchObject({
        level: 'info',
      });
    },
  );

  it.each(['express', 'fastify', 'next'])(
    '%s: the inspector answers below its mount point, with the query',
    async (fw) => {
      inspector.capture(JSON.stringify({ msg: `from ${fw}`, requestId: `r-${fw}` }));
      const recent = await fetch(`${bases[fw]}/_dev/inspector/recent?limit=1`);
      expect(recent.status).toBe(200);
      expect(await recent.json()).toEqual({
        logs: [expect.objectContaining({ msg: `from ${fw}` })],
      });
      const md = await fetch(`${bases[fw]}/_dev/inspector/requests/r-${fw}?format=markdown`);
      expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
      expect(await md.text()).toContain(`# Request r-${fw}`);
      expect((await fetch(`${bases[fw]}/_dev/inspector/nothing`)).status).toBe(404);
    },
  );
});
