// hono bindings of @platform/access.

export { oidcRoutes } from './oidc/hono.js';
export { verifyWebhook } from './webhooks/hono.js';
