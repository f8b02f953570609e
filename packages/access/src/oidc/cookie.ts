import { createHmac, timingSafeEqual } from 'node:crypto';

/** What `login` remembers for `callback`: the values the provider's answer must match. */
export interface FlowState {
  state: string;
  /** Absent for OAuth2-only providers (GitHub), which issue no ID token to carry it. */
  nonce?: string;
  verifier: string;
  returnTo: string;
  /** Unix seconds after which the flow is refused. */
  expires: number;
}

/** How the flow cookie is named and sent. */
export interface FlowCookieSettings {
  name: string;
  secure: boolean;
  maxAge: number;
}

/** Longest cookie value read: a sealed flow is ~400 bytes; anything far larger is not ours. */
const MAX_VALUE = 2048;
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** Serializes and signs a flow with the first secret (HMAC-SHA256, base64url). */
export function sealFlow(flow: FlowState, secrets: readonly string[]): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: flow.state,
      n: flow.nonce,
      v: flow.verifier,
      r: flow.returnTo,
      e: flow.expires,
    }),
  ).toString('base64url');
  return `${payload}.${mac(payload, secrets[0] as string).toString('base64url')}`;
}

/** Why a flow cookie was refused. */
export type FlowRefusal = 'missing' | 'invalid' | 'expired';

function decode(payload: string): FlowState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { s, n, v, r, e } = raw as Record<string, unknown>;
  if (typeof s !== 'string' || !TOKEN.test(s)) return undefined;
  if (typeof v !== 'string' || !TOKEN.test(v)) return undefined;
  if (n !== undefined && (typeof n !== 'string' || !TOKEN.test(n))) return undefined;
  if (typeof r !== 'string' || typeof e !== 'number') return undefined;
  return { state: s, nonce: n, verifier: v, returnTo: r, expires: e };
}

/**
 * Checks a sealed flow against every secret (the first signs, the rest are still accepted so
 * keys can rotate) in constant time per secret, then decodes it and checks its expiry.
 */
export function openFlow(
  value: string | undefined,
  secrets: readonly string[],
  now = Date.now(),
): FlowState | FlowRefusal {
  if (!value) return 'missing';
  if (value.length > MAX_VALUE) return 'invalid';
  const dot = value.indexOf('.');
  if (dot <= 0) return 'invalid';
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  let signed = false;
  for (const secret of secrets) {
    const expected = mac(payload, secret);
    if (given.length === expected.length && timingSafeEqual(given, expected)) signed = true;
  }
  if (!signed) return 'invalid';
  const flow = decode(payload);
  if (!flow) return 'invalid';
  return flow.expires * 1000 <= now ? 'expired' : flow;
}

function attributes(settings: FlowCookieSettings, maxAge: number): string {
  return `Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${settings.secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` line that stores a sealed flow. */
export function flowCookie(settings: FlowCookieSettings, sealed: string): string {
  return `${settings.name}=${sealed}; ${attributes(settings, settings.maxAge)}`;
}

/** The `Set-Cookie` line that removes the flow cookie. */
export function clearFlowCookie(settings: FlowCookieSettings): string {
  return `${settings.name}=; ${attributes(settings, 0)}`;
}

/** The value of one cookie in a `Cookie` header (the first, if the client sent it twice). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
