// express bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/express.js';
export { oidcRoutes } from './oidc/express.js';
// roles and tokens (guards, authentication)
export { requirePermission, requireRole } from './roles/express.js';
export { authenticate } from './tokens/express.js';
export { captureRawBody, verifyWebhook } from './webhooks/express.js';
