import { readWebBody, toResponse } from '@platform/core';
import { acceptWebhook, type WebhookDelivery } from './http.js';
import type { WebhookVerifier } from './verify.js';

type Handler<A extends unknown[]> = (
  request: Request,
  webhook: WebhookDelivery,
  ...rest: A
) => Response | Promise<Response>;

/**
 * Wraps an App Router route handler: reads the raw body (`request` is consumed), verifies
 * the delivery and calls the handler with it (`webhook.payload` is the parsed body), or
 * answers 401/403 problem+json. Inside `withRequestContext` the sender address is the
 * context's; otherwise set the verifier's `trustProxy` for `allowIps`.
 *
 * @example
 * export const POST = withWebhook(verifier, async (_request, webhook) => Response.json({ id: webhook.id }));
 */
export function withWebhook<A extends unknown[]>(
  verifier: WebhookVerifier,
  handler: Handler<A>,
): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    const body = await readWebBody(request, verifier.maxBodyBytes);
    const exchange = { header: (name: string) => request.headers.get(name) ?? undefined };
    const result = await acceptWebhook(verifier, exchange, body);
    if (result.answer) return toResponse(result.answer);
    return handler(request, result.delivery, ...rest);
  };
}
