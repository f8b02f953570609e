import type { IncomingMessage } from 'node:http';
import { readNodeBody } from '@platform/core';
import { fastifyExchange, sendAnswer } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { acceptWebhook, type WebhookDelivery } from './http.js';
import type { WebhookVerifier } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified delivery, on routes registered beside `verifyWebhook`. */
    webhook: WebhookDelivery | null;
  }
}

const TOO_LARGE = Object.freeze({ tooLarge: true });

const plugin: FastifyPluginAsync<{ verifier: WebhookVerifier }> = async (app, { verifier }) => {
  // Every body of this scope arrives as the bytes received; routes outside it keep theirs.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (_req: FastifyRequest, payload: IncomingMessage) => {
    return (await readNodeBody(payload, verifier.maxBodyBytes)) ?? TOO_LARGE;
  });
  app.decorateRequest('webhook', null);
  app.addHook('preHandler', async (req, reply) => {
    const raw = req.body === TOO_LARGE ? undefined : ((req.body as Uint8Array) ?? new Uint8Array());
    const result = await acceptWebhook(verifier, fastifyExchange(req, reply), raw);
    if (result.answer) return sendAnswer(reply, result.answer);
    req.body = result.delivery.payload;
    req.webhook = result.delivery;
  });
};

/**
 * Fastify plugin that verifies signed webhooks on the routes of the scope it is registered
 * in: it takes over body parsing there (raw bytes, then the parsed payload in `req.body`,
 * the delivery in `req.webhook`), so register it inside its own `app.register` scope and
 * the app's other routes keep their parsers.
 *
 * @example
 * await app.register(async (hooks) => {
 *   await hooks.register(verifyWebhook, { verifier });
 *   hooks.post('/webhooks/billing', async (req) => ({ received: req.webhook?.id }));
 * });
 */
export const verifyWebhook = fp(plugin, { fastify: '5.x', name: '@platform/access.webhooks' });
