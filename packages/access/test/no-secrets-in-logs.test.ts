import { generateKeyPairSync } from 'node:crypto';
import { Writable } from 'node:stream';
import { setDefaultLogger } from '@platform/core';
import { createLogger } from '@platform/tracing';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { bearerJwt, createSessions, jwtVerifier, memorySessionStore } from '../src/index.js';
import { serveExpress } from './express-app.js';
import { hsToken, SECRET } from './support.js';

describe('no secret in any log line (tracing logger with its redaction)', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createLogger({
    level: 'debug',
    destination: sink,
    onLine: (line) => lines.push(line),
  });
  setDefaultLogger(logger);
  afterAll(() => setDefaultLogger(undefined));

  it('logs refusals by code, never the tokens, secrets or cookies involved', async () => {
    const sessions = createSessions({ store: memorySessionStore(), secret: SECRET });
    const pair = await sessions.issue({ userId: 'u-log', roles: ['viewer'] });
    await sessions.refresh(pair.refreshToken);
    await sessions.refresh(pair.refreshToken).catch(() => undefined); // reuse: logged as a warning

    const expired = await hsToken({ sub: 'u', roles: ['admin'] }, '-1m');
    const tampered = `${expired.slice(0, -4)}AAAA`;
    const unreachable = jwtVerifier({
      jwks: { url: 'http://127.0.0.1:9/jwks', timeoutMs: 300 },
      audience: 'api',
    });
    const { url, close } = await serveExpress({
      auth: {
        credentials: [
          bearerJwt(jwtVerifier({ secret: SECRET, audience: 'api' })),
          sessions.credential(),
        ],
      },
    });
    const secrets = [SECRET, expired, tampered, pair.accessToken, pair.refreshToken];
    const keysDown = await serveExpress({ auth: { credentials: bearerJwt(unreachable) } });
    try {
      for (const token of [expired, tampered, pair.accessToken]) {
        // a host logging its requests through the same logger
        logger.info(
          { headers: { authorization: `Bearer ${token}`, cookie: `access_token=${token}` } },
          'request',
        );
        await fetch(`${url}/admin`, { headers: { authorization: `Bearer ${token}` } });
      }
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const es = await new SignJWT({ sub: 'u' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setAudience('api')
        .sign(privateKey);
      secrets.push(es);
      const down = await fetch(`${keysDown.url}/me`, {
        headers: { authorization: `Bearer ${es}` },
      });
      expect(down.status).toBe(503);
    } finally {
      await close();
      await keysDown.close();
    }
    const codes = lines.map((l) => JSON.parse(l) as { code?: string }).map((l) => l.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'refresh_reused',
        'token_expired',
        'token_signature_invalid',
        'keys_unavailable',
      ]),
    );
    for (const line of lines) {
      for (const s of secrets) expect(line).not.toContain(s);
      // nor any piece of a token long enough to matter (its signature)
      for (const s of [expired, pair.accessToken]) expect(line).not.toContain(s.split('.')[2]);
    }
    expect(
      lines.filter((l) => l.includes('"msg":"request"')).every((l) => l.includes('[REDACTED]')),
    ).toBe(true);
  });
});
