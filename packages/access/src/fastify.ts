// fastify bindings of @platform/access.

// roles and tokens (guards, authentication)
export { type AccessHook, requirePermission, requireRole } from './roles/fastify.js';
export { authenticate } from './tokens/fastify.js';
