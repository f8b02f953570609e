import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspReportHandler } from '../src/express.js';
import { cspReports } from '../src/fastify.js';
import { type CspViolation, createReportReceiver, type ReportReceiver } from '../src/index.js';
import { listen } from './helpers.js';

const CSP_REPORT = JSON.stringify({
  'csp-report': {
    'document-uri': 'http://127.0.0.1/page',
    'effective-directive': 'script-src-elem',
    'violated-directive': 'script-src-elem',
    'blocked-uri': 'inline',
    disposition: 'enforce',
  },
});
const REPORTS_JSON = JSON.stringify([
  {
    type: 'csp-violation',
    url: 'http://127.0.0.1/page',
    user_agent: 'Chrome',
    body: {
      documentURL: 'http://127.0.0.1/page',
      blockedURL: 'inline',
      effectiveDirective: 'script-src-elem',
      disposition: 'enforce',
    },
  },
]);

type Server = {
  url: string;
  close(): Promise<unknown>;
  events: CspViolation[];
  receiver: () => ReportReceiver;
};

async function expressServer(): Promise<Server> {
  const events: CspViolation[] = [];
  const handler = cspReportHandler({ onViolation: (v) => events.push(v), aggregateMs: 0 });
  const app = express();
  app.use(expressContext());
  app.use(express.json());
  app.post('/csp-report', handler);
  const s = await listen(app);
  return { ...s, events, receiver: () => handler.receiver };
}

async function fastifyServer(): Promise<Server> {
  const events: CspViolation[] = [];
  const app = Fastify();
  await app.register(fastifyContext);
  const receiver = createReportReceiver({ onViolation: (v) => events.push(v), aggregateMs: 0 });
  await app.register(cspReports, { receiver });
  app.post('/json', async (req) => req.body);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close(), events, receiver: () => receiver };
}

const post = (
  url: string,
  type: string | undefined,
  body: string | ReadableStream,
  headers: Record<string, string> = {},
) =>
  fetch(`${url}/csp-report`, {
    method: 'POST',
    headers: { ...(type ? { 'content-type': type } : {}), ...headers },
    body,
    duplex: 'half',
  } as RequestInit);

describe.each([
  ['Express', expressServer],
  ['Fastify', fastifyServer],
])('%s CSP report receiver over HTTP', (_name, start) => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it('accepts application/csp-report with the request id from the context', async () => {
    const res = await post(server.url, 'application/csp-report', CSP_REPORT, {
      'x-request-id': 'csp-test-1',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toBe('csp-test-1');
    expect(server.events.at(-1)).toMatchObject({
      requestId: 'csp-test-1',
      documentUri: 'http://127.0.0.1/page',
      blockedUri: 'inline',
      effectiveDirective: 'script-src-elem',
      disposition: 'enforce',
      format: 'csp-report',
    });
  });

  it('accepts application/reports+json', async () => {
    const res = await post(server.url, 'application/reports+json', REPORTS_JSON);
    expect(res.status).toBe(204);
    const event = server.events.at(-1);
    expect(event).toMatchObject({ format: 'reports+json', userAgent: 'Chrome' });
    expect(event?.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers 413 above 64 kB, declared or streamed', async () => {
    const big = JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(70 * 1024) } });
    const declared = await post(server.url, 'application/csp-report', big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      status: 413,
      requestId: declared.headers.get('x-request-id'),
    });
    const chunks = new Blob([big]).stream();
    const streamed = await post(server.url, 'application/csp-report', chunks);
    expect(streamed.status).toBe(413);
    await streamed.arrayBuffer();
  });

  it('answers 400 to a malformed body', async () => {
    const res = await post(server.url, 'application/csp-report', '{"csp-report":');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    await res.arrayBuffer();
  });

  it('answers 415 to other media types', async () => {
    const res = await post(server.url, 'text/plain', 'hello');
    expect(res.status).toBe(415);
    await res.arrayBuffer();
  });

  it('counts what it saw', () => {
    expect(server.receiver().stats()).toMatchObject({
      requests: 2,
      violations: 2,
      byDirective: { 'script-src-elem': 2 },
      rejected: { tooLarge: 2, malformed: 1, mediaType: 1 },
    });
  });
});

describe('Fastify receiver encapsulation', () => {
  it('leaves the app’s own JSON parser alone', async () => {
    const server = await fastifyServer();
    const res = await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await res.json()).toEqual({ a: 1 });
    await server.close();
  });
});
