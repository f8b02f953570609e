import { compileCidrs, type ErrorListener, type PlatformLogger } from '@platform/core';
import type { ProblemOptions } from '@platform/errors';
import { z } from 'zod';
import type { DecisionHook, DenyLogger } from './events.js';
import type { LimitInput } from './keys.js';
import { type PolicyOptions, policySchema } from './policy.js';
import type { RateLimitStore } from './store.js';

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'must be a function');

const cidrs = z.array(z.string()).superRefine((list, ctx) => {
  list.forEach((entry, i) => {
    try {
      compileCidrs([entry]);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: [i] });
    }
  });
});

export const limiterSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must match [A-Za-z0-9._-]{1,64}')
      .default('default'),
    policies: z.preprocess(
      (p) => (p === undefined || Array.isArray(p) ? p : [p]),
      z.array(policySchema).min(1).max(16),
    ),
    store: z
      .custom<RateLimitStore>(
        (v) => typeof (v as RateLimitStore | undefined)?.consume === 'function',
        'must be a store (an object with consume())',
      )
      .optional(),
    failMode: z.enum(['open', 'closed']).default('open'),
    dryRun: z.boolean().default(false),
    skip: fn<(input: LimitInput) => boolean | Promise<boolean>>().optional(),
    allowList: z
      .object({
        ips: cidrs.default([]),
        users: z.array(z.string()).default([]),
        tenants: z.array(z.string()).default([]),
      })
      .default({ ips: [], users: [], tenants: [] }),
    ipv4Prefix: z.number().int().min(1).max(32).default(32),
    ipv6Prefix: z.number().int().min(1).max(128).default(64),
    hashKeys: z.union([z.boolean(), z.object({ secret: z.string().min(16) })]).default(false),
    apiKeyHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
      .default('x-api-key'),
    headers: z.boolean().default(true),
    legacyHeaders: z.boolean().default(false),
    problem: z.custom<ProblemOptions>((v) => typeof v === 'object' && v !== null).optional(),
    log: z.union([z.literal(false), fn<DenyLogger>()]).optional(),
    onDecision: fn<DecisionHook>().optional(),
    logger: z
      .custom<PlatformLogger>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['error', 'warn', 'info', 'debug'].every(
            (level) => typeof (v as Record<string, unknown>)[level] === 'function',
          ),
        'must be a logger with error, warn, info and debug (pino fits)',
      )
      .optional(),
    onError: fn<ErrorListener>().optional(),
  })
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.policies.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({ code: 'custom', path: ['policies', i, 'name'], message: 'is used twice' });
      }
      seen.add(p.name);
    });
  });

export interface RateLimiterOptions {
  /** Names the limiter in keys and logs. Default `'default'`. */
  name?: string;
  /** One policy or several, all checked atomically per request. */
  policies: PolicyOptions | readonly PolicyOptions[];
  /** Default: a new `memoryStore()`. */
  store?: RateLimitStore;
  /** When the store cannot answer: `'open'` allows (flagged), `'closed'` refuses (503). Default `'open'`. */
  failMode?: 'open' | 'closed';
  /** Report-only: count and log, never refuse. Default false. */
  dryRun?: boolean;
  /** Requests for which no policy applies (health checks, internal calls). */
  skip?: (input: LimitInput) => boolean | Promise<boolean>;
  /** Never limited: client IPs or CIDRs, actor ids, tenant ids. */
  allowList?: { ips?: string[]; users?: string[]; tenants?: string[] };
  /** IPv4 prefix counted as one client. Default 32. */
  ipv4Prefix?: number;
  /** IPv6 prefix counted as one client (a /64 is one subscriber). Default 64. */
  ipv6Prefix?: number;
  /** Hash every key value (HMAC with `secret`), so stores and logs never hold raw IPs or ids. */
  hashKeys?: boolean | { secret: string };
  /** Header read by `by: 'apiKey'` (always hashed). Default `x-api-key`. */
  apiKeyHeader?: string;
  /** Send `RateLimit` / `RateLimit-Policy`. Default true. */
  headers?: boolean;
  /** Also send `X-RateLimit-Limit`, `-Remaining`, `-Reset`. Default false. */
  legacyHeaders?: boolean;
  /** Wording of problem bodies (type base, titles), as for @platform/errors. */
  problem?: ProblemOptions;
  /**
   * The deny log (one line per refused request) plus one line when the store degrades and
   * one when it recovers, with the checks failed open/closed meanwhile. Default: through
   * `logger`. A function receives these lines as events instead; `false` drops them
   * (`onError` still hears of outages).
   */
  log?: false | DenyLogger;
  /** Called once per decision, for metrics. Errors it throws are swallowed. */
  onDecision?: DecisionHook;
  /**
   * Where the limiter logs (pino-compatible). Default: the process-wide logger of
   * @platform/core (`@platform/tracing`'s once created, JSON lines on stderr before).
   */
  logger?: PlatformLogger;
  /** Called with the store's error when it starts failing (once per outage). */
  onError?: ErrorListener;
}

export type ParsedLimiterOptions = z.output<typeof limiterSchema>;
