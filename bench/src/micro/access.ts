import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { authenticator, bearerJwt, jwtVerifier } from '@platform/access';
import type { RequestContext } from '@platform/core';
import { createLocalJWKSet, exportJWK, type JSONWebKeySet, jwtVerify, SignJWT } from 'jose';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { defineMicroSuite, type MicroCase } from '../micro.js';

// Per-request token verification with the key already in hand (a shared secret, or a JWKS
// fetched once and cached): our authenticate step (bearer header parsed, jose verify with
// issuer/audience/algorithm checks, claims mapped, actor set on the context) against a bare
// jose.jwtVerify with the same checks (the floor) and passport-jwt's strategy run the way
// passport runs it per request (Object.create + success/fail).
const ISSUER = 'https://idp.bench/';
const AUDIENCE = 'api';
const SECRET = 'bench-secret-of-at-least-32-bytes-long!!';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

interface Fixture {
  alg: 'HS256' | 'RS256';
  token: string;
  jwks?: JSONWebKeySet;
}

async function fixture(alg: 'HS256' | 'RS256'): Promise<Fixture> {
  const jwt = new SignJWT({ sub: 'u-1', roles: ['operator'], tenant_id: 'acme' })
    .setProtectedHeader({ alg, kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h');
  if (alg === 'HS256') return { alg, token: await jwt.sign(new TextEncoder().encode(SECRET)) };
  const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  return { alg, token: await jwt.sign(rsa.privateKey), jwks: { keys: [jwk] } };
}

const fixtures = { HS256: fixture('HS256'), RS256: fixture('RS256') };
const checks = { issuer: ISSUER, audience: AUDIENCE };

function expectUser(sub: unknown) {
  if (sub !== 'u-1') throw new Error(`expected u-1, got ${String(sub)}`);
}

function cases(alg: 'HS256' | 'RS256', label: string): MicroCase[] {
  const group = `${label} ${alg}`;
  return [
    {
      name: 'bare jose.jwtVerify',
      group,
      baseline: true,
      setup: async () => {
        const f = await fixtures[alg];
        const key = f.jwks ? createLocalJWKSet(f.jwks) : createSecretKey(Buffer.from(SECRET));
        const options = { ...checks, algorithms: [alg] };
        return () => jwtVerify(f.token, key as Parameters<typeof jwtVerify>[1], options);
      },
      verify: async (op) => expectUser(((await op()) as { payload: { sub?: string } }).payload.sub),
    },
    {
      name: 'ours: authenticate step (bearerJwt)',
      group,
      setup: async () => {
        const f = await fixtures[alg];
        const verifier = jwtVerifier(
          f.jwks ? { ...checks, keys: f.jwks } : { ...checks, secret: SECRET },
        );
        const auth = authenticator({ credentials: bearerJwt(verifier) });
        const header = `Bearer ${f.token}`;
        const request = {
          header: (name: string) => (name === 'authorization' ? header : undefined),
        };
        const context: RequestContext = { requestId: 'r', method: 'GET', path: '/', startTime: 0 };
        return async () => {
          if ((await auth.run(request, context)) !== undefined) throw new Error('refused');
          return context.actor?.id;
        };
      },
      verify: async (op) => expectUser(await op()),
    },
    {
      name: 'passport-jwt',
      group,
      setup: async () => {
        const f = await fixtures[alg];
        const strategy = new JwtStrategy(
          {
            jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
            secretOrKey: f.jwks ? rsaPem : SECRET,
            ...checks,
            algorithms: [alg],
          },
          (payload: { sub: string; roles: string[] }, done: (e: unknown, user?: unknown) => void) =>
            done(null, { id: payload.sub, roles: payload.roles }),
        );
        const req = { headers: { authorization: `Bearer ${f.token}` } };
        return () =>
          new Promise((resolve, reject) => {
            const s = Object.create(strategy);
            s.success = (user: { id: string }) => resolve(user.id);
            s.fail = (info: unknown) => reject(new Error(`passport-jwt refused: ${String(info)}`));
            s.error = reject;
            s.authenticate(req, {});
          });
      },
      verify: async (op) => expectUser(await op()),
    },
  ];
}

export default defineMicroSuite({
  name: 'access',
  description:
    'per-request JWT verification with a cached key: our authenticate step vs bare jose.jwtVerify vs passport-jwt',
  cases: [
    ...cases('HS256', '(a) shared secret'),
    ...cases('RS256', '(b) cached JWKS / public key'),
  ],
});
