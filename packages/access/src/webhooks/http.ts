import { type Answer, getContext, type HttpExchange, problemAnswer } from '@platform/core';
import type { VerifiedWebhook, WebhookRefusal, WebhookVerifier } from './verify.js';

/** A verified delivery and its body, parsed as JSON when it was sent as JSON. */
export interface WebhookDelivery extends VerifiedWebhook {
  /** The parsed JSON body, or the body text for other content types. */
  payload: unknown;
}

/** The part of core's exchange the verification reads: headers and the socket address. */
export type WebhookExchange = Pick<HttpExchange, 'header' | 'remoteAddress'>;

const TITLES: Record<number, string> = {
  400: 'Bad webhook body',
  401: 'Webhook signature refused',
  403: 'Webhook sender not allowed',
  413: 'Webhook body too large',
  500: 'Webhook verification misconfigured',
  503: 'Webhook verification unavailable',
};

/** The problem+json answer of a refusal (with the request id when a context exists). */
export function refusalAnswer(refusal: Omit<WebhookRefusal, 'ok'>): Answer {
  const requestId = getContext()?.requestId;
  return problemAnswer(
    refusal.status,
    {
      title: TITLES[refusal.status] ?? 'Webhook refused',
      detail: refusal.detail,
      code: refusal.code,
      ...(requestId ? { requestId } : {}),
    },
    refusal.status === 503 ? { 'retry-after': '30' } : {},
  );
}

/** The refusal a binding answers when the body was consumed before it could be read. */
export const RAW_BODY_UNAVAILABLE = {
  status: 500,
  code: 'raw_body_unavailable',
  detail:
    'the raw request body was consumed by a body parser before verification; mount the webhook middleware before it or capture the raw body (see @platform/access README)',
} as const;

const isJson = (type: string | undefined) => !!type && /[/+]json\b/i.test(type);

/**
 * Verifies one delivery and parses its body: the neutral step every binding hands off to.
 * `body` is the raw body, `undefined` when it was larger than `maxBodyBytes`. The sender
 * address is the request context's (trusted proxies applied) or, without one, resolved under
 * the verifier's `trustProxy`. Answers the delivery, or the problem+json answer to send.
 */
export async function acceptWebhook(
  verifier: WebhookVerifier,
  exchange: WebhookExchange,
  body: Uint8Array | undefined,
): Promise<{ delivery: WebhookDelivery; answer?: undefined } | { answer: Answer }> {
  if (body === undefined) {
    return {
      answer: refusalAnswer({
        status: 413,
        code: 'body_too_large',
        detail: `the body is larger than ${verifier.maxBodyBytes} bytes`,
      }),
    };
  }
  const ip =
    getContext()?.ip ??
    verifier.clientIp(exchange.remoteAddress, exchange.header('x-forwarded-for'));
  const result = await verifier.verify({ header: (name) => exchange.header(name), body, ip });
  if (!result.ok) return { answer: refusalAnswer(result) };
  const text = Buffer.from(
    result.raw.buffer,
    result.raw.byteOffset,
    result.raw.byteLength,
  ).toString('utf8');
  let payload: unknown = text;
  if (isJson(exchange.header('content-type'))) {
    try {
      payload = JSON.parse(text);
    } catch {
      // signed by the sender but not JSON: let it be sent again once fixed
      await verifier.forget(result);
      const detail = 'the body is signed but is not valid JSON';
      return { answer: refusalAnswer({ status: 400, code: 'invalid_json', detail }) };
    }
  }
  return { delivery: { ...result, payload } };
}
