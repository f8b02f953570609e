/**
 * @platform/access: who is calling and what they may do. Role and permission guards, JWT
 * identity, sessions, OIDC login, API keys, verified webhooks and tenant isolation; each
 * establishes the identity the other @platform packages key on through core's request context.
 */
export const ACCESS_PACKAGE = '@platform/access';
export * from './oidc/index.js';
export * from './tenant/index.js';
export * from './webhooks/index.js';
