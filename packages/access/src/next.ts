// next bindings of @platform/access.

// roles and tokens (guards, authentication)
export { type RouteHandler, withPermission, withRole } from './roles/next.js';
export { withAuthentication } from './tokens/next.js';
