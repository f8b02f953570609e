import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { HttpExchange } from '@platform/core';
import { requestContext as expressContext, expressExchange } from '@platform/core/express';
import { requestContext as fastifyContext, fastifyExchange } from '@platform/core/fastify';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

interface Seen {
  same: boolean;
  distinctAcrossRequests: boolean;
  path: string;
  route: string | undefined;
  header: string | undefined;
}

/** What the handler saw: `ex` against the exchange an earlier middleware got. */
function observe(
  ex: HttpExchange,
  earlier: HttpExchange | undefined,
  all: Set<HttpExchange>,
): Seen {
  const distinctAcrossRequests = !all.has(ex);
  all.add(ex);
  return {
    same: ex === earlier,
    distinctAcrossRequests,
    path: ex.path,
    route: ex.route,
    header: ex.header('X-Probe'),
  };
}

/** Two concurrent requests; checks what each handler saw. */
async function expectShared(base: string) {
  const seen = await fetchTwice(base);
  expect(seen.map((s) => s.path).sort()).toEqual(['/items/1', '/items/2']);
  for (const s of seen) {
    expect(s.same).toBe(true);
    expect(s.distinctAcrossRequests).toBe(true);
    expect(s.route).toBe('/items/:id');
  }
  expect(seen.map((s) => s.header).sort()).toEqual(['/items/1?q=secret', '/items/2']);
}

async function fetchTwice(base: string): Promise<Seen[]> {
  const answers = await Promise.all(
    ['/items/1?q=secret', '/items/2'].map((p) =>
      fetch(base + p, { headers: { 'x-probe': p } }).then((r) => r.json() as Promise<Seen>),
    ),
  );
  return answers;
}

describe('the exchange core makes is shared with the middlewares after it', () => {
  it('Express: one object per request, its own per request, with the later route', async () => {
    const exchanges = new Set<HttpExchange>();
    const app = express();
    app.use(expressContext());
    const byRequest = new WeakMap<object, HttpExchange>();
    app.use((req, res, next) => {
      byRequest.set(req, expressExchange(req, res));
      next();
    });
    app.get('/items/:id', (req, res) => {
      res.json(observe(expressExchange(req, res), byRequest.get(req), exchanges));
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expectShared(base);
    } finally {
      server.close();
    }
  });

  it('Fastify: one object per request from onRequest to the handler', async () => {
    const app = Fastify();
    await app.register(fastifyContext);
    const byRequest = new WeakMap<object, HttpExchange>();
    const exchanges = new Set<HttpExchange>();
    app.addHook('onRequest', (req, reply, done) => {
      byRequest.set(req, fastifyExchange(req, reply));
      done();
    });
    app.get('/items/:id', async (req, reply) =>
      observe(fastifyExchange(req, reply), byRequest.get(req), exchanges),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      await expectShared(base);
    } finally {
      await app.close();
    }
  });

  it('still adapts a request core never saw', async () => {
    const app = Fastify();
    app.get('/plain', async (req, reply) => ({ path: fastifyExchange(req, reply).path }));
    const res = await app.inject({ url: '/plain?x=1' });
    expect(res.json()).toEqual({ path: '/plain' });
    await app.close();
  });
});
