import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessError } from '../roles/refusal.js';
import { jwtVerifier } from './verifier.js';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const secretBytes = new TextEncoder().encode(SECRET);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

const base = { issuer: 'https://issuer.test/', audience: 'api' };

function token(
  alg: string,
  key: Parameters<SignJWT['sign']>[0],
  claims: Record<string, unknown> = {},
  tweak?: (j: SignJWT) => SignJWT,
) {
  let jwt = new SignJWT({ sub: 'u-1', roles: ['viewer'], ...claims })
    .setProtectedHeader({ alg })
    .setIssuer(base.issuer)
    .setAudience(base.audience)
    .setIssuedAt()
    .setExpirationTime('5m');
  if (tweak) jwt = tweak(jwt);
  return jwt.sign(key);
}

async function refusal(promise: Promise<unknown>): Promise<AccessError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccessError);
  return err as AccessError;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('jwtVerifier', () => {
  it('verifies HS256, RS256 (PEM), ES256 (JWK) and EdDSA (KeyObject)', async () => {
    const cases = [
      [jwtVerifier({ ...base, secret: SECRET }), await token('HS256', secretBytes)],
      [jwtVerifier({ ...base, publicKey: rsaPem }), await token('RS256', rsa.privateKey)],
      [
        jwtVerifier({ ...base, publicKey: await exportJWK(ec.publicKey) }),
        await token('ES256', ec.privateKey),
      ],
      [jwtVerifier({ ...base, publicKey: ed.publicKey }), await token('EdDSA', ed.privateKey)],
    ] as const;
    for (const [verifier, jwt] of cases) {
      const { identity } = await verifier.verify(jwt);
      expect(identity.actor).toEqual({ type: 'user', id: 'u-1', roles: ['viewer'] });
    }
  });

  it('refuses expired and not-yet-valid tokens, allowing the configured clock skew', async () => {
    const v = jwtVerifier({ ...base, secret: SECRET, clockToleranceSec: 5 });
    const now = Math.floor(Date.now() / 1000);
    const expired = await token('HS256', secretBytes, {}, (j) => j.setExpirationTime(now - 60));
    expect((await refusal(v.verify(expired))).code).toBe('token_expired');
    const skewed = await token('HS256', secretBytes, {}, (j) => j.setExpirationTime(now - 2));
    await expect(v.verify(skewed)).resolves.toBeDefined();
    const early = await token('HS256', secretBytes, {}, (j) => j.setNotBefore(now + 120));
    const e = await refusal(v.verify(early));
    expect([e.status, e.code]).toEqual([401, 'token_not_yet_valid']);
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    const v = jwtVerifier({ ...base, secret: SECRET });
    const aud = await token('HS256', secretBytes, {}, (j) => j.setAudience('other'));
    expect((await refusal(v.verify(aud))).code).toBe('token_audience_invalid');
    const iss = await token('HS256', secretBytes, {}, (j) => j.setIssuer('https://evil.test/'));
    expect((await refusal(v.verify(iss))).code).toBe('token_issuer_invalid');
  });

  it('refuses alg "none" whatever the key', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'admin', roles: ['admin'], ...base, aud: 'api', iss: base.issuer })}.`;
    for (const v of [
      jwtVerifier({ ...base, secret: SECRET }),
      jwtVerifier({ ...base, publicKey: rsaPem }),
    ]) {
      const e = await refusal(v.verify(unsigned));
      expect(e.status).toBe(401);
      expect(['token_algorithm_refused', 'token_malformed']).toContain(e.code);
    }
  });

  it('refuses key confusion: HS256 signed with the RSA public key as the secret', async () => {
    const forged = await token('HS256', new TextEncoder().encode(rsaPem), { roles: ['admin'] });
    const e = await refusal(jwtVerifier({ ...base, publicKey: rsaPem }).verify(forged));
    expect([e.status, e.code]).toEqual([401, 'token_algorithm_refused']);
    // and an RS256 token is never checked against an HMAC secret
    const rs = await token('RS256', rsa.privateKey);
    expect((await refusal(jwtVerifier({ ...base, secret: SECRET }).verify(rs))).code).toBe(
      'token_algorithm_refused',
    );
  });

  it('refuses malformed, oversized and tampered tokens', async () => {
    const v = jwtVerifier({ ...base, secret: SECRET });
    for (const bad of ['abc', 'a.b.c', '', `${'a'.repeat(9000)}.b.c`]) {
      expect((await refusal(v.verify(bad))).code).toBe('token_malformed');
    }
    const good = await token('HS256', secretBytes);
    const [h, , s] = good.split('.');
    const tampered = `${h}.${b64({ sub: 'u-1', roles: ['admin'], iss: base.issuer, aud: 'api', exp: 9e9 })}.${s}`;
    const e = await refusal(v.verify(tampered));
    expect(e.code).toBe('token_signature_invalid');
    expect(e.detail).not.toContain(tampered);
  });

  it('maps configurable and nested claim names, and refuses bad subjects and tenants', async () => {
    const v = jwtVerifier({
      ...base,
      secret: SECRET,
      actorType: 'service',
      claims: {
        subject: 'uid',
        roles: 'realm_access.roles',
        tenant: 'org',
        name: 'preferred_username',
      },
    });
    const jwt = await token('HS256', secretBytes, {
      uid: 'svc-1',
      realm_access: { roles: ['operator', 42, 'bad role'] },
      org: 'acme',
      preferred_username: 'Billing',
    });
    expect((await v.verify(jwt)).identity).toMatchObject({
      actor: { type: 'service', id: 'svc-1', roles: ['operator'], name: 'Billing' },
      tenantId: 'acme',
    });
    const scopes = jwtVerifier({ ...base, secret: SECRET, claims: { roles: 'scope' } });
    const spaced = await token('HS256', secretBytes, { scope: 'viewer operator' });
    expect((await scopes.verify(spaced)).identity.actor.roles).toEqual(['viewer', 'operator']);
    const noSub = await token('HS256', secretBytes, { sub: undefined });
    expect((await refusal(jwtVerifier({ ...base, secret: SECRET }).verify(noSub))).code).toBe(
      'token_subject_invalid',
    );
    const badTenant = await token('HS256', secretBytes, { tenant_id: 'a b\n' });
    expect((await refusal(jwtVerifier({ ...base, secret: SECRET }).verify(badTenant))).code).toBe(
      'token_tenant_invalid',
    );
  });

  it('refuses unclear key options at construction', () => {
    expect(() => jwtVerifier({ secret: SECRET, publicKey: rsaPem })).toThrow(/exactly one of/);
    expect(() => jwtVerifier({})).toThrow(/exactly one of/);
    expect(() => jwtVerifier({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => jwtVerifier({ jwks: 'http://idp.example.com/jwks' })).toThrow(/https/);
    expect(() => jwtVerifier({ secret: SECRET, algorithms: ['RS256'] })).toThrow(/fits the key/);
    expect(() => jwtVerifier({ publicKey: rsa.privateKey })).toThrow(/public key/);
  });
});
