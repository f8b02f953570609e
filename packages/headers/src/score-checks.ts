/** Every non-CSP outcome the HTTP Observatory distinguishes, with its score modifier. */
export const HEADER_RESULTS = {
  'hsts-implemented-max-age-at-least-six-months': [0, 'HSTS max-age of six months or more'],
  'hsts-implemented-max-age-less-than-six-months': [-10, 'HSTS max-age under six months'],
  'hsts-not-implemented': [-20, 'no Strict-Transport-Security header'],
  'hsts-not-implemented-no-https': [-20, 'HSTS cannot take effect without https'],
  'hsts-header-invalid': [-20, 'Strict-Transport-Security cannot be parsed'],
  'x-frame-options-implemented-via-csp': [5, 'framing controlled by CSP frame-ancestors'],
  'x-frame-options-sameorigin-or-deny': [5, 'X-Frame-Options DENY or SAMEORIGIN'],
  'x-frame-options-allow-from-origin': [0, 'X-Frame-Options ALLOW-FROM'],
  'x-frame-options-not-implemented': [-20, 'no clickjacking protection'],
  'x-frame-options-header-invalid': [-20, 'X-Frame-Options cannot be parsed'],
  'x-content-type-options-nosniff': [0, 'X-Content-Type-Options nosniff'],
  'x-content-type-options-not-implemented': [-5, 'no X-Content-Type-Options header'],
  'x-content-type-options-header-invalid': [-5, 'X-Content-Type-Options is not nosniff'],
  'referrer-policy-private': [5, 'Referrer-Policy keeps URLs private'],
  'referrer-policy-not-implemented': [0, 'no Referrer-Policy header'],
  'referrer-policy-unsafe': [-5, 'Referrer-Policy leaks URLs to other sites'],
  'referrer-policy-header-invalid': [-5, 'Referrer-Policy cannot be parsed'],
  'corp-implemented-with-same-origin': [10, 'CORP same-origin'],
  'corp-implemented-with-same-site': [10, 'CORP same-site'],
  'corp-implemented-with-cross-origin': [0, 'CORP cross-origin'],
  'corp-not-implemented': [0, 'no Cross-Origin-Resource-Policy header'],
  'corp-header-invalid': [-5, 'Cross-Origin-Resource-Policy cannot be parsed'],
  'coop-implemented-with-same-origin': [10, 'COOP same-origin'],
  'coop-implemented-with-same-origin-allow-popups': [10, 'COOP same-origin-allow-popups'],
  'coop-implemented-with-noopener-allow-popups': [10, 'COOP noopener-allow-popups'],
  'coop-implemented-with-unsafe-none': [0, 'COOP unsafe-none'],
  'coop-not-implemented': [0, 'no Cross-Origin-Opener-Policy header'],
  'coop-header-invalid': [-5, 'Cross-Origin-Opener-Policy cannot be parsed'],
  'coep-implemented-with-require-corp': [10, 'COEP require-corp'],
  'coep-implemented-with-credentialless': [10, 'COEP credentialless'],
  'coep-implemented-with-unsafe-none': [0, 'COEP unsafe-none'],
  'coep-not-implemented': [0, 'no Cross-Origin-Embedder-Policy header'],
  'coep-header-invalid': [-5, 'Cross-Origin-Embedder-Policy cannot be parsed'],
} as const satisfies Record<string, readonly [number, string]>;

export type HeaderResult = keyof typeof HEADER_RESULTS;

// 15768000 seconds is six months; like the Observatory, accept the common 180 days too.
const SIX_MONTHS = 15_552_000;
const PRIVATE_REFERRER = [
  'no-referrer',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
];
const UNSAFE_REFERRER = [
  'origin',
  'origin-when-cross-origin',
  'unsafe-url',
  'no-referrer-when-downgrade',
];
const SF_TOKEN = /^[A-Za-z*][A-Za-z0-9_.:%*/!#$&'+^`|~-]*$/;
const SF_PARAM =
  /^[a-z*][a-z0-9_.*-]*(?:=(?:"(?:[^"\\]|\\.)*"|[A-Za-z*][A-Za-z0-9_.:%*/!#$&'+^`|~-]*|-?\d+(?:\.\d+)?|\?[01]))?$/;

export function strictTransportSecurity(value: string | undefined, https: boolean): HeaderResult {
  if (!https) return 'hsts-not-implemented-no-https';
  if (value === undefined) return 'hsts-not-implemented';
  const maxAge = /(?:^|;)\s*max-age=(\d{1,20})\s*(?:;|$)/i.exec(value)?.[1];
  if (value.includes(',') || maxAge === undefined) return 'hsts-header-invalid';
  return Number(maxAge) < SIX_MONTHS
    ? 'hsts-implemented-max-age-less-than-six-months'
    : 'hsts-implemented-max-age-at-least-six-months';
}

export function frameOptions(value: string | undefined, frameAncestors: boolean): HeaderResult {
  const xfo = value?.toLowerCase();
  if (frameAncestors) return 'x-frame-options-implemented-via-csp';
  if (xfo === 'deny' || xfo === 'sameorigin') return 'x-frame-options-sameorigin-or-deny';
  if (xfo?.startsWith('allow-from')) return 'x-frame-options-allow-from-origin';
  return xfo === undefined ? 'x-frame-options-not-implemented' : 'x-frame-options-header-invalid';
}

export function contentTypeOptions(value: string | undefined): HeaderResult {
  if (value === undefined) return 'x-content-type-options-not-implemented';
  return value.toLowerCase() === 'nosniff'
    ? 'x-content-type-options-nosniff'
    : 'x-content-type-options-header-invalid';
}

/** The last policy the browser understands wins. */
export function referrerPolicy(value: string | undefined): HeaderResult {
  if (value === undefined) return 'referrer-policy-not-implemented';
  const policy = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => PRIVATE_REFERRER.includes(t) || UNSAFE_REFERRER.includes(t))
    .at(-1);
  if (policy === undefined) return 'referrer-policy-header-invalid';
  return PRIVATE_REFERRER.includes(policy) ? 'referrer-policy-private' : 'referrer-policy-unsafe';
}

export function resourcePolicy(value: string | undefined): HeaderResult {
  if (value === undefined) return 'corp-not-implemented';
  const result = `corp-implemented-with-${value.toLowerCase()}`;
  return result in HEADER_RESULTS ? (result as HeaderResult) : 'corp-header-invalid';
}

/** COOP and COEP are structured-field tokens with optional parameters (`; report-to="x"`). */
export function isolationPolicy(kind: 'coop' | 'coep', value: string | undefined): HeaderResult {
  if (value === undefined) return `${kind}-not-implemented`;
  const [token, ...params] = value.split(';').map((s) => s.trim());
  const wellFormed =
    !value.includes(',') && token && SF_TOKEN.test(token) && params.every((p) => SF_PARAM.test(p));
  const result = `${kind}-implemented-with-${token}`;
  return wellFormed && result in HEADER_RESULTS
    ? (result as HeaderResult)
    : `${kind}-header-invalid`;
}
