import { type CspBase, HTML_CSP } from './csp.js';

export type PresetName = 'html' | 'api' | 'dev';

export type ReferrerPolicyToken =
  | 'no-referrer'
  | 'no-referrer-when-downgrade'
  | 'same-origin'
  | 'origin'
  | 'strict-origin'
  | 'origin-when-cross-origin'
  | 'strict-origin-when-cross-origin'
  | 'unsafe-url';

export interface HstsOptions {
  /** Seconds the browser remembers to use HTTPS only (default 31536000, one year). */
  maxAge?: number;
  includeSubDomains?: boolean;
  preload?: boolean;
}

/** Every header's starting value in a preset; `false` means "not sent". */
export interface Preset {
  contentSecurityPolicy: CspBase | false;
  crossOriginEmbedderPolicy: 'require-corp' | 'credentialless' | 'unsafe-none' | false;
  crossOriginOpenerPolicy:
    | 'same-origin'
    | 'same-origin-allow-popups'
    | 'noopener-allow-popups'
    | 'unsafe-none'
    | false;
  crossOriginResourcePolicy: 'same-origin' | 'same-site' | 'cross-origin' | false;
  originAgentCluster: boolean;
  referrerPolicy: readonly ReferrerPolicyToken[] | false;
  strictTransportSecurity: Required<HstsOptions> | false;
  xContentTypeOptions: boolean;
  xDnsPrefetchControl: 'off' | 'on' | false;
  xDownloadOptions: boolean;
  xFrameOptions: 'DENY' | 'SAMEORIGIN' | false;
  xPermittedCrossDomainPolicies: 'none' | 'master-only' | 'by-content-type' | 'all' | false;
  xXssProtection: boolean;
  /** Send Permissions-Policy with powerful features off. */
  permissionsPolicy: boolean;
  cacheControl: string | false;
  removePoweredBy: boolean;
}

/** Pages: helmet 8's thirteen headers, a nonce + strict-dynamic CSP, Permissions-Policy. */
const html: Preset = {
  contentSecurityPolicy: HTML_CSP,
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: 'same-origin',
  crossOriginResourcePolicy: 'same-origin',
  originAgentCluster: true,
  referrerPolicy: ['no-referrer'],
  strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true, preload: false },
  xContentTypeOptions: true,
  xDnsPrefetchControl: 'off',
  xDownloadOptions: true,
  xFrameOptions: 'SAMEORIGIN',
  xPermittedCrossDomainPolicies: 'none',
  xXssProtection: true,
  permissionsPolicy: true,
  cacheControl: false,
  removePoweredBy: true,
};

/** JSON APIs: nothing may load, nothing may frame, nothing is cached. */
const api: Preset = {
  ...html,
  contentSecurityPolicy: {
    directives: {
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'upgrade-insecure-requests': true,
    },
    nonce: false,
    strictDynamic: false,
  },
  xFrameOptions: 'DENY',
  cacheControl: 'no-store',
};

/** Local development over plain http: no HSTS or upgrade, `'unsafe-eval'` for dev tooling. */
const dev: Preset = {
  ...html,
  contentSecurityPolicy: {
    ...HTML_CSP,
    directives: {
      ...Object.fromEntries(
        Object.entries(HTML_CSP.directives).filter(
          ([name]) => name !== 'upgrade-insecure-requests',
        ),
      ),
      'script-src': ["'self'", "'unsafe-eval'"],
    },
  },
  strictTransportSecurity: false,
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = { html, api, dev };
