import { createHash, createHmac } from 'node:crypto';
import { formatIp, type HttpExchange, maskIp, parseIp, type RequestContext } from '@platform/core';

/** What a key, limit or cost function sees of the request. Both parts may be missing. */
export interface LimitInput {
  context?: RequestContext;
  exchange?: HttpExchange;
}

/** The input of `check(key)`: no request (see `LimitInput`). Compared by identity. */
export const NO_INPUT: LimitInput = {};

/** A custom key part: a string to count by, or undefined to skip the policy for this request. */
export type KeyFunction = (input: LimitInput) => string | undefined;

/** What a policy counts by; an array combines parts (e.g. `['tenant', 'route']`). */
export type KeyPart =
  | 'user'
  | 'ip'
  | 'tenant'
  | 'route'
  | 'apiKey'
  | 'role'
  | 'global'
  | KeyFunction;

/** The escaped subject of one policy and what it was derived from (for logs). */
export interface Subject {
  readonly value: string;
  readonly kind: string;
}

export interface KeyerOptions {
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** Hash every value (HMAC-SHA-256 when a secret is given) so no raw IP or id is stored. */
  hash: boolean | { secret: string };
  apiKeyHeader: string;
}

// The characters a key value may keep as is; others (or more than 128) mean a digest.
const PLAIN = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@/+-') {
  PLAIN[ch.charCodeAt(0)] = 1;
}

/** `/^[A-Za-z0-9._:@/+-]{1,128}$/.test(value)`, at a third of the cost of the regex call. */
function plain(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > 128) return false;
  for (let i = 0; i < n; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || PLAIN[code] === 0) return false;
  }
  return true;
}

/** Addresses whose subject a keyer remembers (see `ipSubject`). */
const IP_SUBJECTS = 10_000;

export interface Keyer {
  /** A value made safe for a key: kept when short and plain, else (or when hashing) a digest. */
  escape(value: string): string;
  compile(by: KeyPart | readonly KeyPart[]): (input: LimitInput) => Subject | undefined;
}

/** Builds key derivation from validated options. */
export function createKeyer(opts: KeyerOptions): Keyer {
  const secret = typeof opts.hash === 'object' ? opts.hash.secret : undefined;
  const digest = (value: string) =>
    `#${(secret ? createHmac('sha256', secret) : createHash('sha256'))
      .update(value)
      .digest('base64url')
      .slice(0, 22)}`;
  const safe = (value: string) => (opts.hash || !plain(value) ? digest(value) : value);

  // Without a known address (Next.js without trustProxy) requests share one bucket, so a
  // missing setting shows up as throttling instead of as no limit at all.
  const ipOf = (raw: string | undefined): string => {
    const ip = parseIp(raw);
    if (!ip) return 'unknown';
    const bits = ip.version === 4 ? opts.ipv4Prefix : opts.ipv6Prefix;
    const max = ip.version === 4 ? 32 : 128;
    const text = formatIp(bits >= max ? ip : maskIp(ip, bits));
    return safe(bits >= max ? text : `${text}/${bits}`);
  };

  // Clients come back: an address's subject (parsed, masked, maybe hashed) is remembered,
  // so most requests parse and hash nothing. Bounded: forgotten wholesale when full.
  const ipSubjects = new Map<string, Subject>();
  const ipSubject = (input: LimitInput): Subject => {
    const raw = input.context?.ip ?? input.exchange?.remoteAddress;
    let s = raw === undefined ? undefined : ipSubjects.get(raw);
    if (s) return s;
    s = { value: `ip=${ipOf(raw)}`, kind: 'ip' };
    if (raw !== undefined) {
      if (ipSubjects.size >= IP_SUBJECTS) ipSubjects.clear();
      ipSubjects.set(raw, s);
    }
    return s;
  };

  const part = (by: KeyPart, input: LimitInput): Subject | undefined => {
    const ctx = input.context;
    switch (by) {
      case 'ip':
        return ipSubject(input);
      case 'user': {
        const id = ctx?.actor?.id;
        if (id) return { value: `u=${safe(id)}`, kind: 'user' };
        return part('ip', input);
      }
      case 'tenant':
        return ctx?.tenantId ? { value: `t=${safe(ctx.tenantId)}`, kind: 'tenant' } : undefined;
      case 'route': {
        const route = ctx?.route ?? input.exchange?.route ?? ctx?.path ?? input.exchange?.path;
        const method = ctx?.method ?? input.exchange?.method ?? '';
        return route === undefined
          ? undefined
          : { value: `r=${safe(`${method}:${route}`)}`, kind: 'route' };
      }
      case 'apiKey': {
        // a key verified by @platform/access: its public id, stable across rotations
        if (ctx?.actor?.type === 'apiKey')
          return { value: `k=${safe(ctx.actor.id)}`, kind: 'apiKey' };
        const key = input.exchange?.header(opts.apiKeyHeader);
        return key ? { value: `k=${digest(key)}`, kind: 'apiKey' } : undefined;
      }
      case 'role': {
        const roles = ctx?.actor?.roles.length
          ? [...ctx.actor.roles].sort().join('+')
          : 'anonymous';
        return { value: `role=${safe(roles)}`, kind: 'role' };
      }
      case 'global':
        return { value: 'g', kind: 'global' };
      default: {
        const value = by(input);
        return typeof value === 'string' && value.length > 0
          ? { value: `f=${safe(value)}`, kind: 'custom' }
          : undefined;
      }
    }
  };

  return {
    escape: safe,
    compile(by) {
      const parts = Array.isArray(by) ? by : [by as KeyPart];
      if (parts.length === 1) {
        const only = parts[0] as KeyPart;
        return (input) => part(only, input);
      }
      return (input) => {
        const values: string[] = [];
        const kinds: string[] = [];
        for (const p of parts) {
          const s = part(p, input);
          if (!s) return undefined;
          values.push(s.value);
          kinds.push(s.kind);
        }
        return { value: values.join('|'), kind: kinds.join('+') };
      };
    },
  };
}
