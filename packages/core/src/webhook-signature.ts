import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The HMAC-SHA256 webhook signatures both sides of the platform share: @platform/cost signs
 * its alert webhooks with them and @platform/access verifies (and signs) with them. They
 * live in core so a sender needs no dependency on the access package.
 */

/** Bytes or text (UTF-8) signed or used as a key. */
export type WebhookBytes = string | Uint8Array;

const WHSEC = 'whsec_';

/**
 * The key bytes of a Standard Webhooks secret: `whsec_<base64>` (the prefix is optional, as
 * in the specification's reference libraries). Throws a TypeError for an empty secret or
 * one that is not base64.
 */
export function standardWebhookKey(secret: string): Uint8Array {
  const text = typeof secret === 'string' && secret.startsWith(WHSEC) ? secret.slice(6) : secret;
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new TypeError('webhook secret must be "whsec_" followed by base64 bytes');
  }
  return Buffer.from(text, 'base64');
}

/** HMAC-SHA256 of `content` under `key`. */
export function hmacSha256(key: WebhookBytes, content: WebhookBytes): Buffer {
  return createHmac('sha256', key).update(content).digest();
}

function joined(prefix: string, body: WebhookBytes): WebhookBytes {
  if (typeof body === 'string') return `${prefix}${body}`;
  return Buffer.concat([Buffer.from(prefix), body]);
}

/**
 * The Standard Webhooks signature `v1,<base64>`: HMAC-SHA256 over `${id}.${timestamp}.${body}`
 * under the decoded `whsec_` secret.
 *
 * @example
 * const signature = standardWebhookSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1614265330, '{}');
 */
export function standardWebhookSignature(
  secret: string | Uint8Array,
  id: string,
  timestamp: number,
  body: WebhookBytes,
): string {
  const key = typeof secret === 'string' ? standardWebhookKey(secret) : secret;
  return `v1,${hmacSha256(key, joined(`${id}.${timestamp}.`, body)).toString('base64')}`;
}

/**
 * The Stripe-style signature header value `t=<unix>,v1=<hex>`: HMAC-SHA256 over
 * `${timestamp}.${body}`, the secret's UTF-8 bytes as key (as Stripe does with `whsec_...`).
 *
 * @example
 * const header = timestampedSignature(process.env.WEBHOOK_SECRET!, body, Math.floor(Date.now() / 1000));
 */
export function timestampedSignature(
  secret: string,
  body: WebhookBytes,
  unixSeconds: number,
): string {
  return `t=${unixSeconds},v1=${timestampedMac(secret, body, unixSeconds)}`;
}

/** The hex HMAC of a Stripe-style signature (the `v1=` value). */
export function timestampedMac(secret: string, body: WebhookBytes, unixSeconds: number): string {
  return hmacSha256(secret, joined(`${unixSeconds}.`, body)).toString('hex');
}

/** Constant-time equality of two byte strings; false (not a throw) when lengths differ. */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
