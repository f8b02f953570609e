// fastify bindings of @platform/access.

export { oidcRoutes } from './oidc/fastify.js';
export { verifyWebhook } from './webhooks/fastify.js';
