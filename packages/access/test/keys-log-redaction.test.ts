import { Writable } from 'node:stream';
import { requestContext } from '@platform/core/express';
import { createLogger } from '@platform/tracing';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { apiKeyAuth } from '../src/express.js';
import { apiKeys, memoryKeyStore } from '../src/index.js';
import { listening } from './keys-http-support.js';

describe('API keys and the tracing logger', () => {
  it('leaves no secret in any line, even where the host logs the request headers', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ destination, level: 'debug' });
    const keys = apiKeys({ store: memoryKeyStore(), logger, shutdown: false });
    const { key } = await keys.create({ name: 'svc', tenantId: 'acme' });
    const app = express();
    app.use(requestContext());
    // a host that logs every request's headers: the redaction must hold
    app.use((req, _res, next) => {
      logger.info({ headers: req.headers }, 'request');
      next();
    });
    app.use(apiKeyAuth({ keys, logger }));
    app.get('/', (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    const url = await listening(server);
    try {
      const wrong = key.slice(0, -1) + (key.at(-1) === 'A' ? 'B' : 'A');
      const sent: [Record<string, string>, number][] = [
        [{ 'x-api-key': key }, 200],
        [{ authorization: `Bearer ${key}` }, 200],
        [{ 'x-api-key': wrong }, 401],
        [{ authorization: `Bearer ${wrong}` }, 401],
      ];
      for (const [headers, status] of sent) {
        expect((await fetch(url, { headers })).status).toBe(status);
      }
    } finally {
      server.close();
      await keys.close();
    }
    const secret = key.slice(-43, -1);
    expect(lines.filter((l) => l.includes('"request"')).length).toBe(4);
    expect(lines.some((l) => l.includes('ACCESS_KEY_REFUSED'))).toBe(true);
    for (const line of lines) expect(line).not.toContain(secret);
  });
});
