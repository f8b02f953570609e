import type { SecurityHeadersOptions } from '@platform/headers';

/**
 * @platform/headers configured to send what helmet 8 sends by default: the same CSP
 * directives (no nonce), no Permissions-Policy (helmet has none), everything else as in
 * the `html` preset, which already matches helmet's values.
 */
export const HELMET_EQUIVALENT: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    nonce: false,
    strictDynamic: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      fontSrc: ["'self'", 'https:', 'data:'],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", 'https:', "'unsafe-inline'"],
      upgradeInsecureRequests: true,
    },
  },
  permissionsPolicy: false,
};
