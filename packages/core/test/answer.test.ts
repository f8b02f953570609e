import { createServer, request as httpRequest } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { requestContext as expressContext, expressRoute } from '../src/express.js';
import { requestContext as fastifyContext, fastifyRoute } from '../src/fastify.js';
import {
  type Answer,
  getContext,
  jsonAnswer,
  jsonBody,
  type NeutralHandler,
  problemAnswer,
  requestSlot,
  subpath,
} from '../src/index.js';
import { nextRoute } from '../src/next.js';
import { close, listen } from './helpers.js';

/** One handler exercising every body kind, the query, the mount point and the context. */
const handler: NeutralHandler = async (req) => {
  const rest = subpath(req);
  if (rest === 'json') {
    return jsonAnswer(200, {
      q: req.query.get('q'),
      base: req.base,
      path: req.path,
      requestId: req.context?.requestId ?? null,
    });
  }
  if (rest === 'bytes') {
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
    };
  }
  if (rest === 'stream') {
    return {
      status: 200,
      headers: { 'content-type': 'application/x-ndjson' },
      body: (async function* () {
        yield '{"n":1}\n';
        yield new TextEncoder().encode('{"n":2}\n');
      })(),
      trailers: async () => ({ 'x-count': '2' }),
      trailerNames: ['x-count'],
    } satisfies Answer;
  }
  if (rest === 'echo') {
    const body = await jsonBody(req, 64);
    return 'problem' in body ? body.problem : jsonAnswer(200, { got: body.value });
  }
  if (rest === 'cookies') {
    return { status: 204, headers: { 'x-a': '1' }, cookies: ['a=1; Path=/', 'b=2; HttpOnly'] };
  }
  if (rest === 'fail') throw new Error('handler failed');
  if (rest === 'problem') return problemAnswer(409, { title: 'Conflict', detail: 'version' });
  return undefined;
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  trailers: Record<string, string | undefined>;
}

/** A raw Node client, so trailers are visible (fetch drops them). */
function send(
  base: string,
  path: string,
  init: { method?: string; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method: init.method ?? 'GET',
        headers: init.body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            trailers: res.trailers,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function expressApp(): Promise<string> {
  const app = express();
  app.use(expressContext());
  app.use('/mount', express.json({ limit: 64 }), expressRoute(handler));
  app.use((_req, res) => res.status(404).json({ fellThrough: true }));
  app.use(
    (
      err: Error & { status?: number },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => res.status(err.status ?? 500).json({ caught: err.message }),
  );
  const server = createServer(app);
  const base = await listen(server);
  servers.push({ close: () => close(server) });
  return base;
}

async function fastifyApp(): Promise<string> {
  const app = Fastify();
  await app.register(fastifyContext);
  app.all('/mount/*', { bodyLimit: 64 }, fastifyRoute(handler));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ fellThrough: true }));
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) =>
    reply.code(err.statusCode ?? 500).send({ caught: err.message }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  servers.push({ close: () => app.close() });
  const address = app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** A Fetch handler behind a Node server, as Next runs route handlers. */
async function fetchApp(): Promise<string> {
  const route = nextRoute(handler, { base: '/mount' });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    let response: Response;
    try {
      response = await route(request);
    } catch (err) {
      response = Response.json({ caught: (err as Error).message }, { status: 500 });
    }
    const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
    if (headers['set-cookie']) headers['set-cookie'] = response.headers.getSetCookie();
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const base = await listen(server);
  servers.push({ close: () => close(server) });
  return base;
}

describe.each([
  ['express', expressApp],
  ['fastify', fastifyApp],
  ['fetch', fetchApp],
])('the answer type on %s', (name, start) => {
  it('sends JSON with the query and mount point parsed once', async () => {
    const base = await start();
    const r = await send(base, '/mount/json?q=a%20b&x=1');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(r.body.toString());
    expect(body).toMatchObject({ q: 'a b', base: '/mount', path: '/mount/json' });
    if (name !== 'fetch') expect(body.requestId).toBe(r.headers['x-request-id']);
  });

  it('sends bytes and problems as they are', async () => {
    const base = await start();
    const bytes = await send(base, '/mount/bytes');
    expect([...bytes.body]).toEqual([1, 2, 3]);
    const problem = await send(base, '/mount/problem');
    expect(problem.status).toBe(409);
    expect(problem.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(problem.body.toString())).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      detail: 'version',
      status: 409,
    });
  });

  it('streams a body (with trailers where the transport has them)', async () => {
    const base = await start();
    const r = await send(base, '/mount/stream');
    expect(r.body.toString()).toBe('{"n":1}\n{"n":2}\n');
    if (name !== 'fetch') expect(r.trailers['x-count']).toBe('2');
  });

  it('reads a JSON body and refuses a malformed or oversized one', async () => {
    const base = await start();
    const ok = await send(base, '/mount/echo', { method: 'POST', body: '{"a":1}' });
    expect(JSON.parse(ok.body.toString())).toEqual({ got: { a: 1 } });
    const bad = await send(base, '/mount/echo', { method: 'POST', body: '{"a":' });
    expect(bad.status).toBe(400);
    const big = await send(base, '/mount/echo', {
      method: 'POST',
      body: JSON.stringify({ a: 'x'.repeat(200) }),
    });
    expect(big.status).toBe(413);
  });

  it('sends each cookie as its own Set-Cookie line', async () => {
    const r = await send(await start(), '/mount/cookies');
    expect(r.status).toBe(204);
    expect(r.headers['x-a']).toBe('1');
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('passes "not mine" on and hands errors to the framework', async () => {
    const base = await start();
    const none = await send(base, '/mount/elsewhere');
    expect(none.status).toBe(404);
    const fail = await send(base, '/mount/fail');
    expect(fail.status).toBe(500);
    expect(JSON.parse(fail.body.toString())).toEqual({ caught: 'handler failed' });
  });
});

describe('requestSlot', () => {
  it('keeps per-request values on the context, apart per slot and per request', async () => {
    const a = requestSlot<number>('a');
    const b = requestSlot<string>('b');
    const app = express();
    app.use(expressContext());
    app.use((req, _res, next) => {
      a.set(getContext(), Number(req.query.n));
      next();
    });
    app.get('/', (_req, res) => {
      const ctx = getContext();
      b.set(ctx, 'set');
      res.json({ a: a.get(ctx), b: b.get(ctx), keys: Object.keys(ctx ?? {}).length > 0 });
    });
    const server = createServer(app);
    const base = await listen(server);
    servers.push({ close: () => close(server) });
    const [one, two] = await Promise.all([fetch(`${base}/?n=1`), fetch(`${base}/?n=2`)]);
    expect(await one.json()).toEqual({ a: 1, b: 'set', keys: true });
    expect(await two.json()).toEqual({ a: 2, b: 'set', keys: true });
    expect(a.set(undefined, 3)).toBe(false);
    expect(a.get(undefined)).toBeUndefined();
    expect(() => requestSlot('')).toThrow(/non-empty/);
  });

  it('does not show up when the context is serialized', () => {
    const slot = requestSlot<object>('hidden');
    const ctx = { requestId: 'r', method: 'GET', path: '/', startTime: 0 };
    slot.set(ctx, { secret: true });
    expect(JSON.stringify(ctx)).not.toContain('secret');
    expect(slot.get(ctx)).toEqual({ secret: true });
  });
});
