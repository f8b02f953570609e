// fastify bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/fastify.js';
export { oidcRoutes } from './oidc/fastify.js';
// roles and tokens (guards, authentication)
export { type AccessHook, requirePermission, requireRole } from './roles/fastify.js';
export { authenticate } from './tokens/fastify.js';
export { verifyWebhook } from './webhooks/fastify.js';
