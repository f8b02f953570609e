/**
 * @platform/access: who is calling and what they may do. Role and permission guards, JWT
 * identity, sessions, OIDC login, API keys, verified webhooks and tenant isolation; each
 * establishes the identity the other @platform packages key on through core's request context.
 */
export const ACCESS_PACKAGE = '@platform/access';

export * from './keys/index.js';
export * from './oidc/index.js';
// roles and permissions
export * from './roles/index.js';
// sessions: access + refresh tokens, rotation with reuse detection, revocation
export * from './sessions/index.js';
export * from './tenant/index.js';
// identity from tokens (JWT, JWKS) and the neutral authenticate step
export * from './tokens/index.js';
export * from './webhooks/index.js';
