import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessError, jwtVerifier } from '../src/index.js';
import { closing, listening } from './support.js';

/** A JWKS endpoint on loopback whose key set the test changes, counting fetches. */
function jwksServer() {
  const state = { keys: [] as JWK[], fetches: 0, failing: false };
  const server = createServer((_req, res) => {
    state.fetches++;
    if (state.failing) {
      res.writeHead(500).end('down');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: state.keys }));
  });
  server.listen(0, '127.0.0.1');
  return { server, state };
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256') {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, jwk, privateKey: pair.privateKey as KeyObject };
}

type Key = Awaited<ReturnType<typeof signingKey>>;
const sign = (key: Key, sub: string) =>
  new SignJWT({ sub, roles: ['viewer'] })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer('https://idp.test/')
    .setAudience('api')
    .setExpirationTime('5m')
    .sign(key.privateKey);

describe('JWKS from a URL: cached, refetched on rotation', () => {
  const { server, state } = jwksServer();
  let url: string;
  let k1: Key;
  let k2: Key;
  beforeAll(async () => {
    url = `${await listening(server)}/.well-known/jwks.json`;
    [k1, k2] = await Promise.all([signingKey('k1', 'RS256'), signingKey('k2', 'ES256')]);
    state.keys = [k1.jwk];
  });
  afterAll(() => closing(server));

  it('fetches once, verifies from the cache, follows a rotation and drops the retired key', async () => {
    const verifier = jwtVerifier({
      jwks: { url, cooldownMs: 0 },
      issuer: 'https://idp.test/',
      audience: 'api',
    });
    const first = await sign(k1, 'u-1');
    for (let i = 0; i < 5; i++)
      expect((await verifier.verify(first)).identity.actor.id).toBe('u-1');
    expect(state.fetches).toBe(1);

    // the IdP rotates: only k2 is published now
    state.keys = [k2.jwk];
    const rotated = await sign(k2, 'u-2');
    expect((await verifier.verify(rotated)).identity.actor.id).toBe('u-2');
    expect(state.fetches).toBe(2);
    await verifier.verify(rotated);
    expect(state.fetches).toBe(2);

    // a token under the retired key no longer verifies
    const retired = await verifier.verify(await sign(k1, 'u-3')).catch((e: unknown) => e);
    expect(retired).toBeInstanceOf(AccessError);
    expect((retired as AccessError).code).toBe('token_key_unknown');
    expect((retired as AccessError).status).toBe(401);
  });

  it('answers 503 keys_unavailable (never a pass) when the key set cannot be fetched', async () => {
    state.failing = true;
    try {
      const verifier = jwtVerifier({
        jwks: { url, cooldownMs: 0 },
        issuer: 'https://idp.test/',
        audience: 'api',
      });
      const err = (await verifier
        .verify(await sign(k2, 'u'))
        .catch((e: unknown) => e)) as AccessError;
      expect([err.status, err.code]).toEqual([503, 'keys_unavailable']);
      const gone = jwtVerifier({
        jwks: { url: 'http://127.0.0.1:9/jwks', timeoutMs: 500 },
        audience: 'api',
      });
      const refused = (await gone
        .verify(await sign(k2, 'u'))
        .catch((e: unknown) => e)) as AccessError;
      expect([refused.status, refused.code]).toEqual([503, 'keys_unavailable']);
    } finally {
      state.failing = false;
    }
  });
});
