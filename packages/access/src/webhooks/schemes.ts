import { hmacSha256, standardWebhookKey, type WebhookBytes } from '@platform/core';

/** The signature material a scheme reads from a request's headers. */
export interface SignedParts {
  /** The delivery's id (`webhook-id`), or the `t=` value for the timestamped scheme. */
  id: string;
  /** Unix seconds the sender signed. */
  timestamp: number;
  /** The candidate MACs sent (several while the sender rotates its secret). */
  macs: Buffer[];
}

/** Why a request's headers carry no usable signature. */
export interface HeaderFault {
  code: 'missing_headers' | 'malformed_header';
  detail: string;
}

/** How one signature format reads headers and computes the MAC. */
export interface WebhookScheme {
  readonly name: string;
  /** Header names this scheme reads, lower-case. */
  readonly headers: readonly string[];
  key(secret: string): Uint8Array;
  parse(header: (name: string) => string | undefined): SignedParts | HeaderFault;
  mac(key: Uint8Array, parts: SignedParts, body: WebhookBytes): Buffer;
}

const TIMESTAMP = /^\d{1,12}$/;
const ID = /^[\x21-\x7e]{1,256}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const HEX = /^[0-9a-f]{64}$/;

/** Most signatures read from one header: a sender rotating keys sends two or three. */
const MAX_SIGNATURES = 8;

const concat = (prefix: string, body: WebhookBytes): WebhookBytes =>
  typeof body === 'string' ? prefix + body : Buffer.concat([Buffer.from(prefix), body]);

/** Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> ...`. */
export const standardScheme: WebhookScheme = {
  name: 'standard',
  headers: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  key: standardWebhookKey,
  parse(header) {
    const id = header('webhook-id');
    const ts = header('webhook-timestamp');
    const sig = header('webhook-signature');
    if (!id || !ts || !sig) {
      return {
        code: 'missing_headers',
        detail: 'webhook-id, webhook-timestamp and webhook-signature headers are required',
      };
    }
    if (!ID.test(id)) return malformed('webhook-id must be 1 to 256 visible ASCII characters');
    if (!TIMESTAMP.test(ts)) return malformed('webhook-timestamp must be unix seconds');
    const macs: Buffer[] = [];
    // space-delimited `version,signature` pairs; other versions (v1a: asymmetric) are skipped
    for (const entry of sig.split(' ', 64)) {
      const comma = entry.indexOf(',');
      if (entry.slice(0, comma) !== 'v1') continue;
      const value = entry.slice(comma + 1);
      if (BASE64.test(value) && macs.length < MAX_SIGNATURES) {
        macs.push(Buffer.from(value, 'base64'));
      }
    }
    if (macs.length === 0) return malformed('webhook-signature holds no v1,<base64> signature');
    return { id, timestamp: Number(ts), macs };
  },
  mac: (key, parts, body) => hmacSha256(key, concat(`${parts.id}.${parts.timestamp}.`, body)),
};

/**
 * The Stripe-style format `<header>: t=<unix>,v1=<hex>[,v1=<hex>...]` over `${t}.${body}`,
 * keyed by the secret's UTF-8 bytes. `header` is `stripe-signature` for Stripe,
 * `x-cost-signature` for @platform/cost's alert webhooks.
 */
export function timestampedScheme(header = 'stripe-signature'): WebhookScheme {
  const name = header.toLowerCase();
  return {
    name: `timestamped(${name})`,
    headers: [name],
    key: (secret) => Buffer.from(secret, 'utf8'),
    parse(read) {
      const value = read(name);
      if (!value) return { code: 'missing_headers', detail: `the ${name} header is required` };
      let t: string | undefined;
      const macs: Buffer[] = [];
      for (const item of value.split(',', 64)) {
        const eq = item.indexOf('=');
        const k = item.slice(0, eq).trim();
        const v = item.slice(eq + 1).trim();
        if (k === 't') t = v;
        else if (k === 'v1' && HEX.test(v) && macs.length < MAX_SIGNATURES) {
          macs.push(Buffer.from(v, 'hex'));
        }
      }
      if (t === undefined || !TIMESTAMP.test(t)) {
        return malformed(`${name} must carry t=<unix seconds>`);
      }
      if (macs.length === 0) return malformed(`${name} holds no v1=<hex> signature`);
      return { id: t, timestamp: Number(t), macs };
    },
    mac: (key, parts, body) => hmacSha256(key, concat(`${parts.timestamp}.`, body)),
  };
}

function malformed(detail: string): HeaderFault {
  return { code: 'malformed_header', detail };
}

/** Both presets by name: `'standard'` (default) and `'stripe'`. */
export function schemeOf(scheme: 'standard' | 'stripe' | WebhookScheme): WebhookScheme {
  if (scheme === 'standard') return standardScheme;
  if (scheme === 'stripe') return timestampedScheme('stripe-signature');
  return scheme;
}
