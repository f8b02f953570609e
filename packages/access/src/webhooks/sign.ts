import {
  standardWebhookSignature,
  timestampedMac,
  uuidv7,
  type WebhookBytes,
} from '@platform/core';

export interface SignWebhookOptions {
  /** `'standard'` (default) or `'stripe'` (the timestamped format). */
  scheme?: 'standard' | 'stripe';
  /** One secret, or several during a rotation: the delivery carries one signature per secret. */
  secret: string | readonly string[];
  /** The exact bytes sent as the body. */
  body: WebhookBytes;
  /** The delivery id (`webhook-id`, standard only). Default `msg_<uuidv7>`; keep it across retries. */
  id?: string;
  /** Unix seconds. Default now. */
  timestamp?: number;
  /** Header name for the timestamped scheme. Default `stripe-signature`. */
  header?: string;
}

/**
 * The headers that sign an outgoing webhook: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (Standard Webhooks), or `<header>: t=<unix>,v1=<hex>` with
 * `scheme: 'stripe'`. Send the body byte for byte as signed.
 *
 * @example
 * const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1' } });
 * await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signWebhook({ secret, body }) } });
 */
export function signWebhook(options: SignWebhookOptions): Record<string, string> {
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  if (secrets.length === 0) throw new TypeError('signWebhook: at least one secret is required');
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || timestamp < 0) {
    throw new TypeError('signWebhook: timestamp must be whole unix seconds');
  }
  if (options.scheme === 'stripe') {
    const macs = secrets.map((s) => `v1=${timestampedMac(s, options.body, timestamp)}`);
    return {
      [(options.header ?? 'stripe-signature').toLowerCase()]: `t=${timestamp},${macs.join(',')}`,
    };
  }
  const id = options.id ?? `msg_${uuidv7()}`;
  if (!/^[\x21-\x7e]{1,256}$/.test(id) || id.includes('.')) {
    throw new TypeError('signWebhook: id must be 1 to 256 visible ASCII characters without "."');
  }
  const signature = secrets
    .map((s) => standardWebhookSignature(s, id, timestamp, options.body))
    .join(' ');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
}
