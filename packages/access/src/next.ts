// next bindings of @platform/access.

export { withWebhook } from './webhooks/next.js';
