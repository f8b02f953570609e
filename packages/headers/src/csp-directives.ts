/** How a directive's value is written. */
type DirectiveKind =
  | 'sources'
  | 'ancestors'
  | 'flag'
  | 'sandbox'
  | 'uris'
  | 'group'
  | 'trusted-types-for'
  | 'trusted-types'
  | 'webrtc';

/**
 * Every directive we accept, in the order they are rendered. `script-src` comes before
 * `script-src-elem`/`-attr` because Next.js reads the nonce from the first directive whose
 * name starts with `script-src`.
 */
const CATALOG = {
  'default-src': 'sources',
  'script-src': 'sources',
  'script-src-elem': 'sources',
  'script-src-attr': 'sources',
  'style-src': 'sources',
  'style-src-elem': 'sources',
  'style-src-attr': 'sources',
  'img-src': 'sources',
  'font-src': 'sources',
  'connect-src': 'sources',
  'media-src': 'sources',
  'object-src': 'sources',
  'frame-src': 'sources',
  'child-src': 'sources',
  'worker-src': 'sources',
  'manifest-src': 'sources',
  'fenced-frame-src': 'sources',
  'base-uri': 'sources',
  'form-action': 'sources',
  'frame-ancestors': 'ancestors',
  sandbox: 'sandbox',
  'upgrade-insecure-requests': 'flag',
  'require-trusted-types-for': 'trusted-types-for',
  'trusted-types': 'trusted-types',
  webrtc: 'webrtc',
  'report-uri': 'uris',
  'report-to': 'group',
} as const satisfies Record<string, DirectiveKind>;

/** A CSP directive name, as written in the header. */
export type CspDirective = keyof typeof CATALOG;

type Camel<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<Camel<T>>}`
  : S;

/** A directive name in either spelling: `'script-src'` or `scriptSrc`. */
export type CspDirectiveKey = CspDirective | Camel<CspDirective>;

export const DIRECTIVE_ORDER = Object.keys(CATALOG) as CspDirective[];

/** Normalizes `scriptSrc` / `script-src` to the header spelling; undefined when unknown. */
export function directiveName(key: string): CspDirective | undefined {
  const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return Object.hasOwn(CATALOG, name) ? (name as CspDirective) : undefined;
}

const KEYWORDS = new Set([
  'self',
  'none',
  'unsafe-inline',
  'unsafe-eval',
  'unsafe-hashes',
  'strict-dynamic',
  'report-sample',
  'wasm-unsafe-eval',
  'inline-speculation-rules',
]);
const HASH = /^'sha(256|384|512)-[A-Za-z0-9+/_-]+={0,2}'$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:$/i;
const HOST =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(?:\d{1,5}|\*))?(?:\/[^\s;,'"]*)?$/i;
const SANDBOX = new Set([
  'allow-downloads',
  'allow-forms',
  'allow-modals',
  'allow-orientation-lock',
  'allow-pointer-lock',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-presentation',
  'allow-same-origin',
  'allow-scripts',
  'allow-storage-access-by-user-activation',
  'allow-top-navigation',
  'allow-top-navigation-by-user-activation',
  'allow-top-navigation-to-custom-protocols',
]);

function checkSource(source: string, kind: 'sources' | 'ancestors'): string | undefined {
  if (/[\s;,]/.test(source)) return `"${source}" must not contain whitespace, ";" or ","`;
  const bare = source.toLowerCase();
  if (KEYWORDS.has(bare) || /^(nonce|sha256|sha384|sha512)-/.test(bare)) {
    return `keyword ${source} must be quoted: use "'${source}'"`;
  }
  if (source.startsWith("'")) {
    const inner = bare.slice(1, -1);
    if (!source.endsWith("'") || source.length < 3)
      return `${source} is not a valid quoted keyword`;
    if (kind === 'ancestors' && inner !== 'self' && inner !== 'none') {
      return `${source} is not allowed; frame-ancestors takes only 'self', 'none', schemes and hosts`;
    }
    if (inner.startsWith('nonce-')) {
      return 'fixed nonces defeat their purpose; set contentSecurityPolicy.nonce: true instead';
    }
    if (HASH.test(source)) return undefined;
    if (!KEYWORDS.has(inner)) return `unknown keyword ${source}`;
    return undefined;
  }
  if (source === '*' || SCHEME.test(source) || HOST.test(source)) return undefined;
  return `"${source}" is not a valid source expression`;
}

/**
 * Checks one directive's value, returning a message per bad entry (naming the directive).
 * `true` means "present with no value" (flags such as upgrade-insecure-requests, or a bare sandbox).
 */
export function checkDirective(name: CspDirective, value: true | readonly string[]): string[] {
  const kind: DirectiveKind = CATALOG[name];
  const errors: string[] = [];
  const fail = (msg: string) => errors.push(`${name}: ${msg}`);
  if (value === true) {
    if (kind !== 'flag' && kind !== 'sandbox') fail('needs a list of values, not true');
    return errors;
  }
  if (kind === 'flag') {
    fail('takes no value; set it to true');
    return errors;
  }
  if (value.length === 0 && kind !== 'sandbox' && kind !== 'sources' && kind !== 'ancestors') {
    fail('needs at least one value');
  }
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.length === 0 || entry.length > 1024) {
      fail('each value must be a non-empty string of at most 1024 characters');
      continue;
    }
    let problem: string | undefined;
    switch (kind) {
      case 'sources':
      case 'ancestors':
        problem = checkSource(entry, kind);
        break;
      case 'sandbox':
        if (!SANDBOX.has(entry)) problem = `unknown sandbox token "${entry}"`;
        break;
      case 'uris':
        if (/[\s;,]/.test(entry)) problem = `"${entry}" is not a valid URI`;
        break;
      case 'group':
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(entry)) problem = `"${entry}" is not a valid group name`;
        break;
      case 'trusted-types-for':
        if (entry !== "'script'") problem = `only "'script'" is allowed, got ${entry}`;
        break;
      case 'trusted-types':
        if (!/^(?:'none'|'allow-duplicates'|\*|[A-Za-z0-9\-#=_/@.%]+)$/.test(entry)) {
          problem = `"${entry}" is not a valid policy name`;
        }
        break;
      case 'webrtc':
        if (entry !== "'allow'" && entry !== "'block'") problem = `must be "'allow'" or "'block'"`;
        break;
    }
    if (problem) fail(problem);
  }
  if (
    (kind === 'sources' || kind === 'ancestors') &&
    value.length > 1 &&
    value.includes("'none'")
  ) {
    fail("'none' must be the only source");
  }
  return errors;
}
