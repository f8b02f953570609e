// next bindings of @platform/access.

export { oidcRoutes } from './oidc/next.js';
export { withWebhook } from './webhooks/next.js';
