// hono bindings of @platform/access.

export { apiKeyAuth, requireScope } from './keys/hono.js';
