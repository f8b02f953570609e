// hono bindings of @platform/access.

// roles and tokens (guards, authentication)
export { requirePermission, requireRole } from './roles/hono.js';
export { authenticate } from './tokens/hono.js';
