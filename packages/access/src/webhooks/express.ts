import type { IncomingMessage, ServerResponse } from 'node:http';
import { readNodeBody, writeAnswer } from '@platform/core';
import { expressExchange } from '@platform/core/express';
import type { Request, RequestHandler, Response } from 'express';
import { acceptWebhook, RAW_BODY_UNAVAILABLE, refusalAnswer } from './http.js';
import type { WebhookVerifier } from './verify.js';

/**
 * The `verify` option of `express.json()` / `express.text()` that keeps the raw bytes in
 * `res.locals.rawBody`, for apps that parse every body before `verifyWebhook` runs.
 *
 * @example
 * app.use(express.json({ verify: captureRawBody }));
 */
export function captureRawBody(_req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
  const locals = (res as Partial<Response>).locals;
  if (locals) locals.rawBody = buf;
}

/** The exact bytes received: `express.raw()`'s Buffer, a captured copy, or the unread stream. */
function rawBody(req: Request, res: Response, limit: number) {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (Buffer.isBuffer(res.locals.rawBody)) return res.locals.rawBody as Buffer;
  if (req.readableEnded) return null; // a parser read the stream and kept no copy
  return readNodeBody(req, limit);
}

/**
 * Express middleware that verifies a signed webhook (see `webhookVerifier`) before the route
 * handler: answers 401/403 problem+json on a refusal, else sets `req.body` to the parsed
 * payload and `res.locals.webhook` to the verified delivery. It reads the raw body itself
 * when no parser ran; after `express.json()` it needs `express.json({ verify: captureRawBody })`
 * (or `express.raw()` on the route) and answers 500 without the raw bytes.
 *
 * @example
 * app.post('/webhooks/billing', verifyWebhook(verifier), (req, res) => res.sendStatus(204));
 */
export function verifyWebhook(verifier: WebhookVerifier): RequestHandler {
  return async (req, res, next) => {
    try {
      const body = await rawBody(req, res, verifier.maxBodyBytes);
      const result =
        body === null
          ? { answer: refusalAnswer(RAW_BODY_UNAVAILABLE) }
          : await acceptWebhook(verifier, expressExchange(req, res), body);
      if (result.answer) return await writeAnswer(res, result.answer);
      req.body = result.delivery.payload;
      res.locals.webhook = result.delivery;
      next();
    } catch (err) {
      next(err);
    }
  };
}
