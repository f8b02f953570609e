import { once } from 'node:events';
import { createServer, get, type Server } from 'node:http';
import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import express from 'express';
import Fastify from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categorize } from '../src/index.js';
import { baseUrl, closedPort, closeServer } from './support.js';

let upstream: Server;
let url: string;

/** A fake provider: `/s<status>/...` answers that status, `/hang/...` never answers, `/reset/...` drops the socket. */
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/hang')) return;
    if (path.startsWith('/reset')) return req.socket.destroy();
    const status = Number(/^\/s(\d{3})/.exec(path)?.[1] ?? 500);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 429) Object.assign(headers, { 'retry-after-ms': '2500', 'retry-after': '7' });
    res.writeHead(status, headers);
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type: `status_${status}`, message: 'upstream says no' },
      }),
    );
  }).listen(0, '127.0.0.1');
  url = await baseUrl(upstream);
});

afterAll(() => closeServer(upstream));

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('categorize real network errors', () => {
  it('ECONNREFUSED from a socket to a closed port -> network 503', async () => {
    const socket = connect(await closedPort(), '127.0.0.1');
    const [original] = (await once(socket, 'error').catch((e: unknown) => [e])) as [unknown];
    expect(categorize(original)).toMatchObject({
      category: 'network',
      status: 503,
      retryable: true,
    });
  });

  it('fetch failed (cause ECONNREFUSED) -> network 503', async () => {
    const port = await closedPort();
    const original = await failure(() => fetch(`http://127.0.0.1:${port}/`));
    expect(original).toBeInstanceOf(TypeError);
    expect(categorize(original)).toMatchObject({
      category: 'network',
      status: 503,
      cause: original,
    });
  });

  it('ECONNRESET (socket hang up) -> network 503', async () => {
    const original = await new Promise((resolve) => get(`${url}/reset`).on('error', resolve));
    expect((original as { code?: string }).code).toBe('ECONNRESET');
    expect(categorize(original)).toMatchObject({ category: 'network', status: 503 });
  });

  it('fetch to a dropped socket (cause UND_ERR_SOCKET) -> network 503', async () => {
    const original = await failure(() => fetch(`${url}/reset`));
    expect(categorize(original)).toMatchObject({ category: 'network', status: 503 });
  });

  it('fetch aborted by AbortSignal.timeout() -> timeout 504', async () => {
    const original = await failure(() => fetch(`${url}/hang`, { signal: AbortSignal.timeout(50) }));
    expect((original as Error).name).toBe('TimeoutError');
    expect(categorize(original)).toMatchObject({
      category: 'timeout',
      status: 504,
      retryable: true,
    });
  });
});

describe('categorize real AI SDK errors', () => {
  const openai = (path: string, timeout = 10_000) =>
    new OpenAI({ apiKey: 'sk-test', baseURL: `${url}${path}/v1`, maxRetries: 0, timeout });
  const chat = (client: OpenAI) =>
    client.chat.completions.create({ model: 'gpt-test', messages: [] });
  const anthropic = (path: string) =>
    new Anthropic({ apiKey: 'test', baseURL: `${url}${path}`, maxRetries: 0 });
  const message = (client: Anthropic) =>
    client.messages.create({ model: 'claude-test', max_tokens: 1, messages: [] });

  it.each([
    [
      'OpenAI 429',
      () => chat(openai('/s429')),
      { status: 503, code: 'ai_rate_limited', retryable: true, retryAfter: 3 },
    ],
    [
      'OpenAI 401',
      () => chat(openai('/s401')),
      { status: 502, code: 'ai_misconfigured', severity: 'critical' },
    ],
    ['OpenAI 403', () => chat(openai('/s403')), { status: 502, code: 'ai_misconfigured' }],
    [
      'OpenAI 408',
      () => chat(openai('/s408')),
      { status: 504, code: 'ai_timeout', retryable: true },
    ],
    [
      'OpenAI 500',
      () => chat(openai('/s500')),
      { status: 502, code: 'ai_unavailable', retryable: true },
    ],
    [
      'OpenAI 400',
      () => chat(openai('/s400')),
      { status: 502, code: 'ai_request_rejected', retryable: false },
    ],
    ['OpenAI timeout', () => chat(openai('/hang', 50)), { status: 504, code: 'ai_timeout' }],
    [
      'Anthropic 529',
      () => message(anthropic('/s529')),
      { status: 502, code: 'ai_unavailable', retryable: true },
    ],
    [
      'Anthropic 429',
      () => message(anthropic('/s429')),
      { status: 503, code: 'ai_rate_limited', retryAfter: 3 },
    ],
    ['Anthropic 401', () => message(anthropic('/s401')), { status: 502, code: 'ai_misconfigured' }],
  ])('%s', async (_name, run, expected) => {
    const original = await failure(run);
    const err = categorize(original);
    expect(err).toMatchObject({ category: 'ai_service', expose: false, ...expected });
    expect(err.cause).toBe(original);
  });

  it('OpenAI connection refused -> ai_service 503', async () => {
    const port = await closedPort();
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: `http://127.0.0.1:${port}/v1`,
      maxRetries: 0,
    });
    const err = categorize(await failure(() => chat(client)));
    expect(err).toMatchObject({
      category: 'ai_service',
      status: 503,
      code: 'ai_unavailable',
      retryable: true,
    });
  });
});

describe('categorize real framework errors', () => {
  it('body-parser errors from express.json() over HTTP', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use(express.json({ limit: '50b' }));
    app.post('/', (_req, res) => res.end());
    app.use(
      (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        seen.push(err);
        res.status(599).end();
      },
    );
    const server = app.listen(0, '127.0.0.1');
    const base = await baseUrl(server);
    const post = (body: string, headers: Record<string, string>) =>
      fetch(base, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    try {
      await post('{"a":', {});
      await post(JSON.stringify({ text: 'x'.repeat(200) }), {});
      await post('{}', { 'content-encoding': 'x-unknown' });
      await post('{}', { 'content-type': 'application/json; charset=klingon' });
    } finally {
      await closeServer(server);
    }
    expect(seen.map((e) => (e as { type: string }).type)).toEqual([
      'entity.parse.failed',
      'entity.too.large',
      'encoding.unsupported',
      'charset.unsupported',
    ]);
    expect(seen.map((e) => categorize(e)).map(({ status, code }) => ({ status, code }))).toEqual([
      { status: 400, code: 'invalid_body' },
      { status: 413, code: 'payload_too_large' },
      { status: 415, code: 'unsupported_encoding' },
      { status: 415, code: 'unsupported_charset' },
    ]);
  });

  it('Fastify validation and content-type errors over HTTP', async () => {
    const seen: unknown[] = [];
    const app = Fastify({ bodyLimit: 50 });
    app.setErrorHandler((err, _req, reply) => {
      seen.push(err);
      return reply.code(599).send();
    });
    const schema = {
      body: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
    };
    app.post('/', { schema }, async () => ({}));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const post = (body: string, type = 'application/json') =>
      fetch(base, { method: 'POST', body, headers: { 'content-type': type } });
    try {
      await post('{"qty":1}');
      await post('<order/>', 'text/xml');
      await post(JSON.stringify({ sku: 'x'.repeat(200) }));
      await post('{"sku":');
    } finally {
      await app.close();
    }
    const answers = seen.map((e) => categorize(e));
    expect(answers.map(({ status, code }) => ({ status, code }))).toEqual([
      { status: 400, code: 'validation' },
      { status: 415, code: 'unsupported_media_type' },
      { status: 413, code: 'payload_too_large' },
      { status: 400, code: 'invalid_body' },
    ]);
    expect(answers[0]?.errors).toEqual([
      { path: 'sku', message: "must have required property 'sku'", code: 'required' },
    ]);
  });
});
