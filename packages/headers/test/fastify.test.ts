import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../src/fastify.js';
import { type PresetName, scoreHeaders } from '../src/index.js';
import { expectPresetHeaders } from './helpers.js';

const presets: PresetName[] = ['html', 'api', 'dev'];

async function start(preset: PresetName): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  app.addHook('onRequest', async (req) => {
    if (req.url === '/denied') throw Object.assign(new Error('denied'), { statusCode: 401 });
  });
  await app.register(securityHeaders, { preset });
  app.get('/', async (_req, reply) =>
    reply.type('text/html').send(`<script nonce="${reply.cspNonce}">hydrate()</script>`),
  );
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.get('/denied', async () => 'never');
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

describe.each(presets)('Fastify securityHeaders, %s preset', (preset) => {
  let server: { app: FastifyInstance; url: string };
  beforeAll(async () => {
    server = await start(preset);
  });
  afterAll(() => server.app.close());

  it.each([
    ['/', 200],
    ['/missing', 404],
    ['/boom', 500],
    ['/denied', 401],
  ])('sends exactly the preset on %s (%i)', async (path, status) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(status);
    expectPresetHeaders(res.headers, preset);
    await res.arrayBuffer();
  });

  if (preset !== 'api') {
    it('puts a fresh 128-bit nonce on reply.cspNonce and in the CSP', async () => {
      const nonces = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${server.url}/`);
        const nonce = expectPresetHeaders(res.headers, preset) ?? '';
        expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
        expect(await res.text()).toBe(`<script nonce="${nonce}">hydrate()</script>`);
        nonces.add(nonce);
      }
      expect(nonces.size).toBe(3);
    });
  } else {
    it('grades A+ on the Observatory scale, 404 included', async () => {
      for (const path of ['/', '/missing']) {
        const res = await fetch(`${server.url}${path}`);
        expect(scoreHeaders(res.headers).grade).toBe('A+');
        await res.arrayBuffer();
      }
    });
  }
});

describe('Fastify securityHeaders options', () => {
  it('fails registration with a message naming the directive', async () => {
    const app = Fastify();
    app.register(securityHeaders, {
      contentSecurityPolicy: { directives: { scriptSrc: ['self'] } },
    });
    await expect(app.ready()).rejects.toThrow(/script-src: keyword self must be quoted/);
  });
});
