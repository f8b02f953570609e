// hono bindings of @platform/access.

export { verifyWebhook } from './webhooks/hono.js';
export { oidcRoutes } from './oidc/hono.js';
