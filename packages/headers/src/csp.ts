import { ConfigError, parseOptions } from '@platform/core';
import { z } from 'zod';
import {
  type CspDirective,
  type CspDirectiveKey,
  checkDirective,
  DIRECTIVE_ORDER,
  directiveName,
} from './csp-directives.js';

export type { CspDirective, CspDirectiveKey } from './csp-directives.js';

/** A directive's value: sources, `true` for value-less directives, `false` to remove it. */
export type CspDirectiveValue = readonly string[] | string | boolean;

export interface CspOptions {
  /** Start from the preset's directives (default true); false starts from nothing. */
  useDefaults?: boolean;
  /** Directives to set (replacing the preset's) or remove (`false`). Either spelling works. */
  directives?: Partial<Record<CspDirectiveKey, CspDirectiveValue>>;
  /** Add a fresh 128-bit `'nonce-…'` to script-src and style-src on every response. */
  nonce?: boolean;
  /** Add `'strict-dynamic'` to script-src (needs a nonce or a hash there). */
  strictDynamic?: boolean;
  /** Send `Content-Security-Policy-Report-Only` instead of enforcing. */
  reportOnly?: boolean;
  /** Where browsers send violation reports: sets report-uri, report-to and Reporting-Endpoints. */
  reportUri?: string;
  /** The Reporting-Endpoints group name used by report-to (default `csp-endpoint`). */
  reportGroup?: string;
  /**
   * Also report through the Reporting API (`report-to` + Reporting-Endpoints), default true.
   * `false` sends `report-uri` only: Chromium ignores `report-uri` once `report-to` is
   * present, and does not upload Reporting API reports from plain-http origins.
   */
  reportTo?: boolean;
}

/** The CSP a preset starts from. */
export interface CspBase {
  directives: Partial<Record<CspDirective, true | readonly string[]>>;
  nonce: boolean;
  strictDynamic: boolean;
}

const directivesSchema = z
  .record(z.string(), z.union([z.boolean(), z.string(), z.array(z.string())]))
  .superRefine((directives, ctx) => {
    const seen = new Set<CspDirective>();
    for (const [key, value] of Object.entries(directives)) {
      const name = directiveName(key);
      if (!name) {
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown CSP directive "${key}"` });
        continue;
      }
      if (seen.has(name)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${name} is given twice` });
      }
      seen.add(name);
      if (value === false) continue;
      for (const message of checkDirective(name, typeof value === 'string' ? [value] : value)) {
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    }
  });

export const cspOptionsSchema = z.strictObject({
  useDefaults: z.boolean().optional(),
  directives: directivesSchema.optional(),
  nonce: z.boolean().optional(),
  strictDynamic: z.boolean().optional(),
  reportOnly: z.boolean().optional(),
  reportUri: z
    .string()
    .regex(/^[^\s;,"]{1,1024}$/, 'must be a path or URL without whitespace, ";", "," or quotes')
    .optional(),
  reportGroup: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
    .optional(),
  reportTo: z.boolean().optional(),
});

/** A compiled policy: everything that does not vary per response is computed once. */
export interface CompiledCsp {
  readonly header: 'Content-Security-Policy' | 'Content-Security-Policy-Report-Only';
  /** True when each response needs its own nonce. */
  readonly usesNonce: boolean;
  /** The `Reporting-Endpoints` value when `reportUri` is set. */
  readonly reportingEndpoints?: string;
  /** The header value; pass this response's nonce when `usesNonce`. */
  value(nonce?: string): string;
}

const NONCE_SLOT = '\u0000';
const NONCE_SOURCE = `'nonce-${NONCE_SLOT}'`;

function fail(where: string, path: string, message: string): never {
  throw new ConfigError(`Invalid ${where} options:\n  - ${path}: ${message}`, [{ path, message }]);
}

function withSource(list: true | string[] | undefined, source: string): string[] {
  const sources = list === true || list === undefined ? [] : list.filter((s) => s !== "'none'");
  return sources.includes(source) ? sources : [...sources, source];
}

/**
 * Merges a preset's CSP with validated user options and compiles it. Cross-field rules
 * (default-src present, strict-dynamic anchored by a nonce or hash) fail with a ConfigError.
 */
export function compileCsp(
  base: CspBase,
  user: z.output<typeof cspOptionsSchema> = {},
  where = 'securityHeaders',
  prefix = 'contentSecurityPolicy.',
): CompiledCsp {
  const directives = new Map<CspDirective, true | string[]>();
  if (user.useDefaults !== false) {
    for (const [name, value] of Object.entries(base.directives)) {
      directives.set(name as CspDirective, value === true ? true : [...value]);
    }
  }
  for (const [key, value] of Object.entries(user.directives ?? {})) {
    const name = directiveName(key) as CspDirective;
    if (value === false) directives.delete(name);
    else directives.set(name, value === true ? true : typeof value === 'string' ? [value] : value);
  }
  if (!directives.has('default-src')) {
    fail(
      where,
      `${prefix}directives.default-src`,
      'is required: without it anything unlisted loads',
    );
  }

  const nonce = user.nonce ?? base.nonce;
  if (nonce) {
    for (const name of ['script-src', 'style-src'] as const) {
      directives.set(
        name,
        withSource(directives.get(name) ?? directives.get('default-src'), NONCE_SOURCE),
      );
    }
    for (const name of ['script-src-elem', 'style-src-elem'] as const) {
      if (directives.has(name))
        directives.set(name, withSource(directives.get(name), NONCE_SOURCE));
    }
  }
  if (user.strictDynamic ?? (base.strictDynamic && nonce)) {
    const script = directives.get('script-src');
    const anchored =
      Array.isArray(script) &&
      script.some((s) => s === NONCE_SOURCE || /^'sha(256|384|512)-/.test(s));
    if (!anchored) {
      fail(
        where,
        `${prefix}strictDynamic`,
        "'strict-dynamic' needs a nonce or a hash in script-src",
      );
    }
    directives.set('script-src', withSource(script, "'strict-dynamic'"));
  }

  let reportingEndpoints: string | undefined;
  if (user.reportUri) {
    const group = user.reportGroup ?? 'csp-endpoint';
    directives.set('report-uri', [user.reportUri]);
    if (user.reportTo !== false) {
      directives.set('report-to', [group]);
      reportingEndpoints = `${group}="${user.reportUri}"`;
    }
  }

  const rendered = DIRECTIVE_ORDER.filter((name) => directives.has(name)).map((name) => {
    const value = directives.get(name) as true | string[];
    if (value === true) return name;
    return `${name} ${value.length === 0 ? "'none'" : value.join(' ')}`;
  });
  const parts = rendered.join(';').split(NONCE_SLOT);
  const fixed = parts.length === 1 ? parts[0] : undefined;
  return {
    header: user.reportOnly ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy',
    usesNonce: fixed === undefined,
    reportingEndpoints,
    value: (n) => fixed ?? parts.join(n ?? ''),
  };
}

/** The `html` preset's policy: strict, nonce-based, modeled on helmet's defaults. */
export const HTML_CSP: CspBase = {
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    'upgrade-insecure-requests': true,
  },
  nonce: true,
  strictDynamic: true,
};

/**
 * A typed CSP builder. Returns the header name and a `value(nonce)` function; the policy
 * text is computed once and only the nonce changes per response.
 *
 * @example
 * const csp = contentSecurityPolicy({ directives: { imgSrc: ["'self'", 'https://cdn.example'] } });
 * res.setHeader(csp.header, csp.value(createNonce()));
 */
export function contentSecurityPolicy(options?: CspOptions, base: CspBase = HTML_CSP): CompiledCsp {
  const parsed = parseOptions(cspOptionsSchema, options, 'contentSecurityPolicy');
  return compileCsp(base, parsed, 'contentSecurityPolicy', '');
}
