// fastify bindings of @platform/access.

export { verifyWebhook } from './webhooks/fastify.js';
