// hono bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/hono.js';
export { oidcRoutes } from './oidc/hono.js';
// roles and tokens (guards, authentication)
export { requirePermission, requireRole } from './roles/hono.js';
export { authenticate } from './tokens/hono.js';
export { verifyWebhook } from './webhooks/hono.js';
