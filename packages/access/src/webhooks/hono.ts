import { readWebBody, toResponse } from '@platform/core';
import { honoExchange } from '@platform/core/hono';
import type { MiddlewareHandler } from 'hono';
import { acceptWebhook, type WebhookDelivery } from './http.js';
import type { WebhookVerifier } from './verify.js';

/**
 * Hono middleware that verifies a signed webhook: answers 401/403 problem+json on a
 * refusal, else sets `c.get('webhook')` to the delivery (`payload` is the parsed body);
 * `c.req.json()` / `c.req.text()` still answer the body.
 *
 * @example
 * app.post('/webhooks/billing', verifyWebhook(verifier), (c) => c.json({ id: c.get('webhook').id }));
 */
export function verifyWebhook(
  verifier: WebhookVerifier,
): MiddlewareHandler<{ Variables: { webhook: WebhookDelivery } }> {
  return async (c, next) => {
    const body = await readWebBody(c.req.raw, verifier.maxBodyBytes);
    const result = await acceptWebhook(verifier, honoExchange(c, new Headers()), body);
    if (result.answer) return toResponse(result.answer);
    // The stream is read: Hono's body cache (promises at runtime, whatever its typings say)
    // answers c.req.json() and friends from these bytes; the Hono test checks it.
    const cache = c.req.bodyCache as { arrayBuffer?: Promise<ArrayBuffer> };
    if (body) cache.arrayBuffer = Promise.resolve(body.slice().buffer);
    c.set('webhook', result.delivery);
    await next();
  };
}
