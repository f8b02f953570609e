// hono bindings of @platform/access.

export { verifyWebhook } from './webhooks/hono.js';
