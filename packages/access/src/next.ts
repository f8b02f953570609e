// next bindings of @platform/access.

export { oidcRoutes } from './oidc/next.js';
