// next bindings of @platform/access.

export { withApiKey } from './keys/next.js';
export { oidcRoutes } from './oidc/next.js';
// roles and tokens (guards, authentication)
export { type RouteHandler, withPermission, withRole } from './roles/next.js';
export { withAuthentication } from './tokens/next.js';
export { withWebhook } from './webhooks/next.js';
