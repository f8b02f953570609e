import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JWTPayload, SignJWT } from 'jose';
import { expect } from 'vitest';
import type { AuthenticateOptions, GuardOptions } from '../src/index.js';
import { bearerJwt, jwtVerifier } from '../src/index.js';

export async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export const closing = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

export const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
export const ISSUER = 'https://issuer.test/';
export const AUDIENCE = 'api';

/** An HS256 token from the test issuer; `claims` and `header` override the defaults. */
export function hsToken(
  claims: JWTPayload & Record<string, unknown>,
  expiresIn = '5m',
): Promise<string> {
  return new SignJWT({ roles: [], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(SECRET));
}

export const bearer = async (claims: JWTPayload & Record<string, unknown>) => ({
  authorization: `Bearer ${await hsToken(claims)}`,
});

/** The authentication every binding test mounts: bearer (or `access_token` cookie) HS256 JWTs. */
export function testAuth(): AuthenticateOptions {
  const verifier = jwtVerifier({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
  return { credentials: bearerJwt(verifier, { cookie: 'access_token' }) };
}

/**
 * What each binding's app serves, on top of core's request context:
 * `GET /me` (authenticated, answers the context's actor and tenant), `GET /viewer`
 * (role viewer), `POST /flags` (permission flags:write), `GET /admin` (role admin, with
 * `onRefused`), `GET /guarded` (role viewer without authenticate in front).
 */
export interface AppSpec {
  auth: AuthenticateOptions;
  onRefused?: GuardOptions['onRefused'];
}

export type Serve = (spec: AppSpec) => Promise<{ url: string; close(): Promise<void> }>;

export async function expectProblem(
  res: Response,
  status: number,
  code: string,
): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.detail).toBe('string');
  const requestId = res.headers.get('x-request-id');
  if (requestId) expect(body.requestId).toBe(requestId);
  return body;
}
