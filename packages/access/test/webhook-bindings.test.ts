import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { requestContext } from '@platform/core/express';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { captureRawBody, verifyWebhook as expressWebhook } from '../src/express.js';
import { verifyWebhook as fastifyWebhook } from '../src/fastify.js';
import { verifyWebhook as honoWebhook } from '../src/hono.js';
import { signWebhook, type WebhookVerifierOptions, webhookVerifier } from '../src/index.js';
import { withWebhook } from '../src/next.js';
import {
  expectRefused,
  OLD_SECRET,
  post,
  SECRET,
  urlOf,
  webhookContract,
} from './webhook-support.js';

const verifier = (extra: Partial<WebhookVerifierOptions> = {}) =>
  webhookVerifier({ secrets: [SECRET, OLD_SECRET], onError: () => {}, ...extra });
const servers: Server[] = [];
const listen = (server: Server) =>
  new Promise<Server>((resolve) => {
    servers.push(server);
    if (server.listening) resolve(server);
    else server.listen(0, '127.0.0.1', () => resolve(server));
  });
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('Express', () => {
  const reply = (req: express.Request, res: express.Response) =>
    res.json({ id: res.locals.webhook.id, payload: req.body });

  it('reads the raw body itself when no parser ran', async () => {
    const app = express();
    app.post('/hook', expressWebhook(verifier()), reply);
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    await webhookContract((b, h) => post(url, b, h));
  });

  it('works after express.json({ verify: captureRawBody }), and express.json() still parses other routes', async () => {
    const app = express();
    app.use(express.json({ verify: captureRawBody }));
    app.post('/hook', expressWebhook(verifier()), reply);
    app.post('/other', (req, res) => res.json({ got: req.body }));
    const server = await listen(app.listen(0, '127.0.0.1'));
    await webhookContract((b, h) => post(urlOf(server, '/hook'), b, h), { hostParsesJson: true });
    expect((await post(urlOf(server, '/other'), '{"a":1}', {})).json).toEqual({ got: { a: 1 } });
  });

  it('works with express.raw() on the route', async () => {
    const app = express();
    app.post('/hook', express.raw({ type: '*/*' }), expressWebhook(verifier()), reply);
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    await webhookContract((b, h) => post(url, b, h));
  });

  it('answers 500 problem+json, not a false 401, when express.json() ran without capture', async () => {
    const app = express();
    app.use(express.json());
    app.post('/hook', expressWebhook(verifier()), reply);
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    const body = '{"a":1}';
    const res = await post(url, body, signWebhook({ secret: SECRET, body }));
    expectRefused(res, 'raw_body_unavailable', 500);
    expect(res.json.detail).toMatch(/captur/);
  });
});

describe('Fastify', () => {
  it('verifies inside its scope; JSON routes outside keep their parser', async () => {
    const app = Fastify();
    await app.register(async (hooks) => {
      await hooks.register(fastifyWebhook, { verifier: verifier() });
      hooks.post('/hook', async (req) => ({ id: req.webhook?.id, payload: req.body }));
    });
    app.post('/other', async (req) => ({ got: req.body, webhook: req.webhook ?? 'none' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push(app.server);
    await webhookContract((b, h) => post(urlOf(app.server, '/hook'), b, h));
    expect((await post(urlOf(app.server, '/other'), '{"a":1}', {})).json).toEqual({
      got: { a: 1 },
      webhook: 'none',
    });
  });
});

describe('Next route handler', () => {
  it('verifies real Request objects and hands the parsed body on', async () => {
    const POST = withWebhook(verifier(), async (_request, webhook) =>
      Response.json({ id: webhook.id, payload: webhook.payload }),
    );
    await webhookContract(async (body, headers) => {
      const res = await POST(
        new Request('http://localhost/api/hook', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        }),
      );
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type'), json: JSON.parse(text) };
    });
  });
});

describe('Hono', () => {
  it('verifies over @hono/node-server; c.req.json() still answers the body', async () => {
    const app = new Hono();
    app.post('/hook', honoWebhook(verifier()), async (c) =>
      c.json({ id: c.get('webhook').id, payload: await c.req.json() }),
    );
    const server = await listen(
      serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server,
    );
    await webhookContract((b, h) => post(urlOf(server, '/hook'), b, h));
  });
});

describe('IP allow list', () => {
  it('refuses senders outside it with 403, trusting only declared proxies', async () => {
    const app = express();
    const v = verifier({ allowIps: ['203.0.113.0/24'], trustProxy: ['loopback'] });
    app.post('/hook', expressWebhook(v), (_req, res) => res.json({ ok: true }));
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    const body = '{}';
    const allowed = await post(url, body, {
      'x-forwarded-for': '203.0.113.9',
      ...signWebhook({ secret: SECRET, body }),
    });
    expect(allowed.status).toBe(200);
    expectRefused(
      await post(url, body, {
        'x-forwarded-for': '198.51.100.1',
        ...signWebhook({ secret: SECRET, body }),
      }),
      'ip_not_allowed',
      403,
    );
    // no proxy header: the socket address (loopback) is the sender, not on the list
    expectRefused(
      await post(url, body, signWebhook({ secret: SECRET, body })),
      'ip_not_allowed',
      403,
    );
    // a proxy that is not trusted cannot vouch: untrusted chain ends at the socket address
    const strict = verifier({ allowIps: ['203.0.113.0/24'] });
    const app2 = express();
    app2.post('/hook', expressWebhook(strict), (_req, res) => res.json({ ok: true }));
    const url2 = urlOf(await listen(app2.listen(0, '127.0.0.1')), '/hook');
    expectRefused(
      await post(url2, body, {
        'x-forwarded-for': '203.0.113.9',
        ...signWebhook({ secret: SECRET, body }),
      }),
      'ip_not_allowed',
      403,
    );
  });
});

describe('IP allow list inside a request context', () => {
  it("uses the context's client IP (its trustProxy), not the socket address", async () => {
    const app = express();
    app.use(requestContext({ trustProxy: ['loopback'] }));
    app.post('/hook', expressWebhook(verifier({ allowIps: ['203.0.113.0/24'] })), (_req, res) =>
      res.json({ ok: true }),
    );
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    const body = '{}';
    const signed = () => signWebhook({ secret: SECRET, body });
    expect((await post(url, body, { 'x-forwarded-for': '203.0.113.7', ...signed() })).status).toBe(
      200,
    );
    const refused = await post(url, body, { 'x-forwarded-for': '198.51.100.1', ...signed() });
    expectRefused(refused, 'ip_not_allowed', 403);
    expect(refused.json.requestId).toMatch(/^[0-9a-f-]{36}$/); // the context's id rides along
  });
});

describe('body limit', () => {
  it('answers 413 problem+json past maxBodyBytes without buffering the rest', async () => {
    const app = express();
    app.post('/hook', expressWebhook(verifier({ maxBodyBytes: 64 })), (_req, res) => res.json({}));
    const url = urlOf(await listen(app.listen(0, '127.0.0.1')), '/hook');
    const body = JSON.stringify({ pad: 'x'.repeat(200) });
    expectRefused(
      await post(url, body, signWebhook({ secret: SECRET, body })),
      'body_too_large',
      413,
    );
    const POST = withWebhook(verifier({ maxBodyBytes: 64 }), async () => new Response('no'));
    const res = await POST(
      new Request('http://localhost/h', {
        method: 'POST',
        body,
        headers: signWebhook({ secret: SECRET, body }),
      }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'body_too_large' });

    const fastify = Fastify();
    await fastify.register(async (hooks) => {
      await hooks.register(fastifyWebhook, { verifier: verifier({ maxBodyBytes: 64 }) });
      hooks.post('/hook', async () => ({}));
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    servers.push(fastify.server);
    const signed = signWebhook({ secret: SECRET, body });
    expectRefused(await post(urlOf(fastify.server, '/hook'), body, signed), 'body_too_large', 413);

    const hono = new Hono();
    hono.post('/hook', honoWebhook(verifier({ maxBodyBytes: 64 })), (c) => c.json({}));
    const server = await listen(
      serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }) as Server,
    );
    expectRefused(await post(urlOf(server, '/hook'), body, signed), 'body_too_large', 413);
  });
});
