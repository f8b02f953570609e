// next bindings of @platform/access.

export { withWebhook } from './webhooks/next.js';
export { oidcRoutes } from './oidc/next.js';
