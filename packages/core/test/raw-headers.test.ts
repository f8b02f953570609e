import { createServer } from 'node:http';
import { getContext } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, listen, rawGet, rawRequest, V7 } from './helpers.js';

// Raw bytes on a TCP socket: fetch and http.request refuse to send most of these.
// Node's HTTP parser rejects some before any app code runs; everything else reaches
// the binding, which must replace the id. Either way "pwned" never comes back.
const cases: { name: string; lines: (string | Buffer)[]; status: number }[] = [
  { name: 'CRLF injection', lines: ['X-Request-ID: inj-1', 'Set-Cookie: pwned=1'], status: 200 },
  { name: 'bare CR', lines: ['X-Request-ID: evil\rSet-Cookie: pwned=1'], status: 400 },
  { name: 'bare LF', lines: ['X-Request-ID: evil\nSet-Cookie: pwned=1'], status: 400 },
  { name: 'NUL byte', lines: ['X-Request-ID: pwned\u0000x'], status: 400 },
  { name: 'control character', lines: ['X-Request-ID: pwned\u0001x'], status: 400 },
  { name: 'DEL', lines: ['X-Request-ID: pwned\u007f'], status: 400 },
  {
    name: 'obsolete line folding',
    lines: ['X-Request-ID: evil', ' Set-Cookie: pwned=1'],
    status: 400,
  },
  {
    name: 'UTF-8 bytes',
    lines: [Buffer.from('X-Request-ID: pwned-h\u00e9llo-\u65e5\u672c', 'utf8')],
    status: 200,
  },
  { name: 'latin-1 byte', lines: ['X-Request-ID: pwned-\u00e9'], status: 200 },
  { name: '10 kB id', lines: [`X-Request-ID: pwned${'a'.repeat(10_240)}`], status: 200 },
  { name: '20 kB id', lines: [`X-Request-ID: pwned${'a'.repeat(20_480)}`], status: 431 },
  { name: 'space', lines: ['X-Request-ID: pwned id'], status: 200 },
  { name: 'tab', lines: ['X-Request-ID: pwned\tid'], status: 200 },
  { name: 'duplicate headers', lines: ['X-Request-ID: pwned', 'X-Request-ID: two'], status: 200 },
  { name: 'hostile alias', lines: ['X-Correlation-ID: pwned<script>'], status: 200 },
];

function expressServer() {
  const app = express();
  app.use(expressContext());
  app.get('/', (_req, res) => {
    res.send(`id=${getContext()?.requestId}`);
  });
  return createServer(app);
}

describe.each(['express', 'fastify'] as const)(
  'hostile request ids over a raw socket (%s)',
  (kind) => {
    let base: string;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      if (kind === 'express') {
        const server = expressServer();
        base = await listen(server);
        stop = () => close(server);
      } else {
        const app = Fastify();
        await app.register(fastifyContext);
        app.get('/', async () => `id=${getContext()?.requestId}`);
        await app.listen({ host: '127.0.0.1', port: 0 });
        base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
        stop = () => app.close();
      }
    });
    afterAll(() => stop());

    it.each(cases)('$name -> $status', async ({ lines, status }) => {
      const res = await rawRequest(base, rawGet('/', lines));
      expect(res.status).toBe(status);
      expect(res.raw).not.toContain('pwned');
      expect(res.raw.toLowerCase()).not.toContain('set-cookie');
      if (status === 200) {
        const id = res.headers['x-request-id'];
        expect(res.raw).toContain(`id=${id}`);
        if (id !== 'inj-1') expect(id).toMatch(V7);
      } else {
        expect(res.headers['x-request-id']).toBeUndefined();
      }
    });

    it('echoes a valid id sent the same way', async () => {
      const res = await rawRequest(base, rawGet('/', ['x-request-id: raw-ok.1']));
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('raw-ok.1');
    });
  },
);
