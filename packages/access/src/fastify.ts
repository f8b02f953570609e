// fastify bindings of @platform/access.

export { verifyWebhook } from './webhooks/fastify.js';
export { oidcRoutes } from './oidc/fastify.js';
