/** The CSP outcomes the HTTP Observatory distinguishes, with its score modifiers. */
export const CSP_RESULTS = {
  'csp-implemented-with-no-unsafe-default-src-none': [
    10,
    "CSP with default-src 'none' and no unsafe sources",
  ],
  'csp-implemented-with-no-unsafe': [5, "CSP without 'unsafe-inline' or 'unsafe-eval'"],
  'csp-implemented-with-unsafe-inline-in-style-src-only': [
    0,
    "CSP allows 'unsafe-inline', data: or broad sources in style-src only",
  ],
  'csp-implemented-but-duplicate-directives': [0, 'CSP repeats report-uri or report-to'],
  'csp-implemented-with-insecure-scheme-in-passive-content-only': [
    -10,
    'CSP lets images or media load over http',
  ],
  'csp-implemented-with-unsafe-eval': [-10, "CSP allows 'unsafe-eval'"],
  'csp-implemented-with-unsafe-inline': [
    -20,
    "CSP allows 'unsafe-inline', data: or broad sources in script-src, or broad object-src",
  ],
  'csp-implemented-with-insecure-scheme': [-20, 'CSP lets active content load over http'],
  'csp-header-invalid': [-25, 'CSP cannot be parsed'],
  'csp-not-implemented': [-25, 'no Content-Security-Policy header'],
  'csp-not-implemented-but-reporting-enabled': [
    -25,
    'only Content-Security-Policy-Report-Only is sent; nothing is enforced',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type CspResult = keyof typeof CSP_RESULTS;

const BROAD = [
  'ftp:',
  'http:',
  'https:',
  '*',
  'http://*',
  'http://*.*',
  'https://*',
  'https://*.*',
];
const BROAD_SET = new Set(BROAD);
const UNSAFE = new Set([...BROAD, "'unsafe-inline'", 'data:']);
const NONCE_OR_HASH = /^'(nonce|sha256|sha384|sha512)-/;
const PASSIVE = ['img-src', 'media-src'];

type Csp = Map<string, Set<string>>;

/** Parses one or more policies; repeated directives other than report-uri/-to are invalid. */
function parse(policies: string[]): { csp: Csp; duplicates: boolean } {
  const csp: Csp = new Map();
  let duplicates = false;
  for (const raw of policies) {
    const policy = raw.replace(/[\r\n]/g, '').trim();
    if (policy.length < 6) throw new Error('policy too short');
    const seen = new Set<string>();
    for (const entry of policy.split(';')) {
      const [first, ...rest] = entry.trim().split(/\s+/);
      if (!first) continue;
      const directive = first.toLowerCase();
      if (seen.has(directive)) {
        if (directive !== 'report-uri' && directive !== 'report-to') throw new Error('duplicate');
        duplicates = true;
        continue;
      }
      seen.add(directive);
      const sources = rest.map((s) => s.toLowerCase());
      if (sources.length === 0 && directive.endsWith('-src')) sources.push("'none'");
      const earlier = csp.get(directive);
      if (earlier) {
        // Several policies are all enforced, so only sources every policy allows count.
        const both = sources.filter((s) => earlier.has(s));
        csp.set(directive, new Set(both.length > 0 ? both : ["'none'"]));
      } else {
        csp.set(directive, new Set(sources));
      }
    }
  }
  return { csp, duplicates };
}

export interface CspAnalysis {
  result: CspResult;
  /** An enforced, parseable policy sets frame-ancestors. */
  frameAncestors: boolean;
}

/** Grades an enforced CSP (and notes a report-only one) the way the HTTP Observatory does. */
export function analyzeCsp(
  enforced: string | undefined,
  reportOnly: boolean,
  https: boolean,
): CspAnalysis {
  const none = reportOnly ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented';
  if (!enforced) return { result: none, frameAncestors: false };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(enforced.split(','));
  } catch {
    return { result: 'csp-header-invalid', frameAncestors: false };
  }
  const { csp, duplicates } = parsed;
  if (csp.size === 0) return { result: none, frameAncestors: false };

  const list = (name: string) => new Set(csp.get(name) ?? csp.get('default-src') ?? ['*']);
  const script = list('script-src');
  const style = list('style-src');
  const object = list('object-src');
  const anchored = (set: Set<string>) => [...set].some((s) => NONCE_OR_HASH.test(s));
  for (const set of [script, style]) {
    if (anchored(set)) set.delete("'unsafe-inline'");
  }

  let result: CspResult | undefined;
  const settle = (r: CspResult) => {
    result ??= r;
  };
  if (script.has("'strict-dynamic'")) {
    if (anchored(script)) {
      for (const s of script) {
        if (BROAD.some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") {
          script.delete(s);
        }
      }
    } else {
      settle('csp-header-invalid');
    }
  }

  const active = [...csp]
    .filter(([name]) => !PASSIVE.includes(name) && name !== 'script-src')
    .flatMap(([, sources]) => [...sources])
    .concat([...script]);
  const passive = PASSIVE.flatMap((name) => [...(csp.get(name) ?? csp.get('default-src') ?? [])]);
  const insecure = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');

  if ([...script].some((s) => UNSAFE.has(s)) || [...object].some((s) => BROAD_SET.has(s))) {
    settle('csp-implemented-with-unsafe-inline');
  }
  if (https && active.some(insecure)) settle('csp-implemented-with-insecure-scheme');
  if (script.has("'unsafe-eval'") || style.has("'unsafe-eval'")) {
    settle('csp-implemented-with-unsafe-eval');
  }
  if (https && passive.some(insecure)) {
    settle('csp-implemented-with-insecure-scheme-in-passive-content-only');
  }
  if ([...style].some((s) => UNSAFE.has(s))) {
    settle('csp-implemented-with-unsafe-inline-in-style-src-only');
  }
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.size === 1 && defaultSrc.has("'none'")) {
    settle('csp-implemented-with-no-unsafe-default-src-none');
  }
  settle('csp-implemented-with-no-unsafe');

  const passing: CspResult[] = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ];
  let final = result as CspResult;
  if (duplicates && passing.includes(final)) final = 'csp-implemented-but-duplicate-directives';
  return { result: final, frameAncestors: csp.has('frame-ancestors') };
}
