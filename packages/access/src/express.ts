// express bindings of @platform/access.

export { oidcRoutes } from './oidc/express.js';
