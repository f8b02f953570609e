import { z } from 'zod';
import { type CompiledCsp, type CspOptions, compileCsp, cspOptionsSchema } from './csp.js';
import {
  compilePermissionsPolicy,
  type PermissionsPolicyOptions,
  permissionsPolicySchema,
} from './permissions-policy.js';
import type { HstsOptions, Preset, PresetName, ReferrerPolicyToken } from './presets.js';

export interface SecurityHeadersOptions {
  /** Starting point for every header (default `html`). */
  preset?: PresetName;
  /** Content-Security-Policy; `true` keeps the preset's policy. */
  contentSecurityPolicy?: CspOptions | boolean;
  /** Cross-Origin-Embedder-Policy (off by default, like helmet). */
  crossOriginEmbedderPolicy?: 'require-corp' | 'credentialless' | 'unsafe-none' | false;
  crossOriginOpenerPolicy?:
    | 'same-origin'
    | 'same-origin-allow-popups'
    | 'noopener-allow-popups'
    | 'unsafe-none'
    | false;
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin' | false;
  /** `Origin-Agent-Cluster: ?1`. */
  originAgentCluster?: boolean;
  /** Referrer-Policy token, or a list (the last one the browser knows wins). */
  referrerPolicy?: ReferrerPolicyToken | readonly ReferrerPolicyToken[] | false;
  /** Strict-Transport-Security; `true` keeps the preset's. */
  strictTransportSecurity?: HstsOptions | boolean;
  /** `X-Content-Type-Options: nosniff`. */
  xContentTypeOptions?: boolean;
  xDnsPrefetchControl?: 'off' | 'on' | false;
  /** `X-Download-Options: noopen`. */
  xDownloadOptions?: boolean;
  xFrameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  xPermittedCrossDomainPolicies?: 'none' | 'master-only' | 'by-content-type' | 'all' | false;
  /** `X-XSS-Protection: 0` (turns off the legacy, exploitable auditor). */
  xXssProtection?: boolean;
  /** Permissions-Policy; `true` keeps the defaults (powerful features off). */
  permissionsPolicy?: PermissionsPolicyOptions | boolean;
  /** A Cache-Control value (`api` sends `no-store`). */
  cacheControl?: string | false;
  /** Remove `X-Powered-By` (default true). */
  removePoweredBy?: boolean;
}

/** Parses `value` with `schema`, re-reporting its issues (with their field paths) on `ctx`. */
function forward<S extends z.ZodType>(schema: S, value: unknown, ctx: z.RefinementCtx) {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
  return z.NEVER;
}

/** `true`/`false`, or options checked by `schema`. */
function orBoolean<S extends z.ZodType>(schema: S) {
  return z
    .unknown()
    .transform((value, ctx): boolean | z.output<S> =>
      typeof value === 'boolean' ? value : forward(schema, value, ctx),
    );
}

/** One of `values` (or `false`); the message names the header and lists what it accepts. */
function choice<const T extends readonly string[]>(header: string, values: T, orFalse = true) {
  const list = values.map((v) => `"${v}"`).join(', ');
  return z.custom<T[number] | false>(
    (v) => (orFalse && v === false) || values.includes(v as string),
    `${header} must be ${orFalse ? 'false or ' : ''}one of ${list}`,
  );
}

const REFERRER_TOKENS = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const;

const hstsSchema = z
  .strictObject({
    maxAge: z
      .number({ error: 'Strict-Transport-Security max-age must be a number of seconds' })
      .int('Strict-Transport-Security max-age must be a whole number of seconds')
      .min(0, 'Strict-Transport-Security max-age must not be negative')
      .optional(),
    includeSubDomains: z.boolean().optional(),
    preload: z.boolean().optional(),
  })
  .superRefine((hsts, ctx) => {
    if (!hsts.preload) return;
    if (hsts.includeSubDomains === false || (hsts.maxAge ?? 31536000) < 31536000) {
      ctx.addIssue({
        code: 'custom',
        path: ['preload'],
        message:
          'Strict-Transport-Security preload needs includeSubDomains and max-age >= 31536000',
      });
    }
  });

const referrerList = z
  .array(choice('Referrer-Policy', REFERRER_TOKENS, false))
  .min(1, 'Referrer-Policy needs at least one token')
  .refine((t) => new Set(t).size === t.length, 'Referrer-Policy tokens must not repeat');
const referrerSchema = z
  .unknown()
  .transform((value, ctx) =>
    Array.isArray(value)
      ? (forward(referrerList, value, ctx) as ReferrerPolicyToken[])
      : (forward(choice('Referrer-Policy', REFERRER_TOKENS), value, ctx) as
          | ReferrerPolicyToken
          | false),
  );

export const optionsSchema = z.strictObject({
  preset: z.enum(['html', 'api', 'dev']).optional(),
  contentSecurityPolicy: orBoolean(cspOptionsSchema).optional(),
  crossOriginEmbedderPolicy: choice('Cross-Origin-Embedder-Policy', [
    'require-corp',
    'credentialless',
    'unsafe-none',
  ]).optional(),
  crossOriginOpenerPolicy: choice('Cross-Origin-Opener-Policy', [
    'same-origin',
    'same-origin-allow-popups',
    'noopener-allow-popups',
    'unsafe-none',
  ]).optional(),
  crossOriginResourcePolicy: choice('Cross-Origin-Resource-Policy', [
    'same-origin',
    'same-site',
    'cross-origin',
  ]).optional(),
  originAgentCluster: z.boolean().optional(),
  referrerPolicy: referrerSchema.optional(),
  strictTransportSecurity: orBoolean(hstsSchema).optional(),
  xContentTypeOptions: z.boolean().optional(),
  xDnsPrefetchControl: choice('X-DNS-Prefetch-Control', ['off', 'on']).optional(),
  xDownloadOptions: z.boolean().optional(),
  xFrameOptions: choice('X-Frame-Options', ['DENY', 'SAMEORIGIN']).optional(),
  xPermittedCrossDomainPolicies: choice('X-Permitted-Cross-Domain-Policies', [
    'none',
    'master-only',
    'by-content-type',
    'all',
  ]).optional(),
  xXssProtection: z.boolean().optional(),
  permissionsPolicy: orBoolean(permissionsPolicySchema).optional(),
  cacheControl: z
    .union([
      z.literal(false),
      z.string().regex(/^[\x20-\x7e]{1,256}$/, 'Cache-Control must be printable ASCII'),
    ])
    .optional(),
  removePoweredBy: z.boolean().optional(),
});

export type ParsedOptions = z.output<typeof optionsSchema>;

/** The compiled header set: static pairs plus the CSP (which may need a per-response nonce). */
export interface CompiledHeaders {
  headers: [string, string][];
  csp?: CompiledCsp;
  removePoweredBy: boolean;
}

/** Merges validated options over a preset and renders every value that does not vary. */
export function compileHeaders(preset: Preset, o: ParsedOptions): CompiledHeaders {
  const headers: [string, string][] = [];
  const add = (name: string, value: string | false | undefined) => {
    if (value) headers.push([name, value]);
  };
  const pick = <K extends keyof Preset>(key: K, value: Preset[K] | undefined) =>
    value ?? preset[key];

  let csp: CompiledCsp | undefined;
  if (o.contentSecurityPolicy !== false && preset.contentSecurityPolicy !== false) {
    const user = typeof o.contentSecurityPolicy === 'object' ? o.contentSecurityPolicy : undefined;
    csp = compileCsp(preset.contentSecurityPolicy, user);
  } else if (typeof o.contentSecurityPolicy === 'object') {
    csp = compileCsp(
      { directives: {}, nonce: false, strictDynamic: false },
      o.contentSecurityPolicy,
    );
  }
  if (csp && !csp.usesNonce) add(csp.header, csp.value());

  add(
    'Cross-Origin-Embedder-Policy',
    pick('crossOriginEmbedderPolicy', o.crossOriginEmbedderPolicy),
  );
  add('Cross-Origin-Opener-Policy', pick('crossOriginOpenerPolicy', o.crossOriginOpenerPolicy));
  add(
    'Cross-Origin-Resource-Policy',
    pick('crossOriginResourcePolicy', o.crossOriginResourcePolicy),
  );
  add('Origin-Agent-Cluster', pick('originAgentCluster', o.originAgentCluster) && '?1');
  const referrer = o.referrerPolicy ?? preset.referrerPolicy;
  add(
    'Referrer-Policy',
    referrer && (typeof referrer === 'string' ? referrer : referrer.join(',')),
  );

  const hsts = o.strictTransportSecurity;
  const hstsBase = preset.strictTransportSecurity || {
    maxAge: 31536000,
    includeSubDomains: true,
    preload: false,
  };
  if (hsts !== false && (hsts !== undefined || preset.strictTransportSecurity)) {
    const h = { ...hstsBase, ...(typeof hsts === 'object' ? hsts : {}) };
    const parts = [`max-age=${h.maxAge}`];
    if (h.includeSubDomains) parts.push('includeSubDomains');
    if (h.preload) parts.push('preload');
    add('Strict-Transport-Security', parts.join('; '));
  }

  add('X-Content-Type-Options', pick('xContentTypeOptions', o.xContentTypeOptions) && 'nosniff');
  add('X-DNS-Prefetch-Control', pick('xDnsPrefetchControl', o.xDnsPrefetchControl));
  add('X-Download-Options', pick('xDownloadOptions', o.xDownloadOptions) && 'noopen');
  add('X-Frame-Options', pick('xFrameOptions', o.xFrameOptions));
  add(
    'X-Permitted-Cross-Domain-Policies',
    pick('xPermittedCrossDomainPolicies', o.xPermittedCrossDomainPolicies),
  );
  add('X-XSS-Protection', pick('xXssProtection', o.xXssProtection) && '0');
  const pp = o.permissionsPolicy ?? preset.permissionsPolicy;
  if (pp !== false) add('Permissions-Policy', compilePermissionsPolicy(pp === true ? {} : pp));
  add('Reporting-Endpoints', csp?.reportingEndpoints);
  add('Cache-Control', pick('cacheControl', o.cacheControl));
  return { headers, csp, removePoweredBy: pick('removePoweredBy', o.removePoweredBy) };
}
