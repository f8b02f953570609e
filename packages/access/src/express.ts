// express bindings of @platform/access.

export { captureRawBody, verifyWebhook } from './webhooks/express.js';
export { oidcRoutes } from './oidc/express.js';
