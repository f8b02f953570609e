// express bindings of @platform/access.

export { oidcRoutes } from './oidc/express.js';
export { captureRawBody, verifyWebhook } from './webhooks/express.js';
