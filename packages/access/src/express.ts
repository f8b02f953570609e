// express bindings of @platform/access.

// roles and tokens (guards, authentication)
export { requirePermission, requireRole } from './roles/express.js';
export { authenticate } from './tokens/express.js';
