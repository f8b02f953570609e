import { z } from 'zod';
import { parseDuration } from './duration.js';
import type { KeyPart, LimitInput } from './keys.js';
import { type RoleLimits, resolveRoleLimit } from './roles.js';
import type { Algorithm } from './store.js';

export type LimitFunction = (input: LimitInput) => number;
export type CostFunction = (input: LimitInput) => number;

/** One limit: `limit` units per `window`, counted per `by`. */
export interface PolicyOptions {
  /** Names the policy in headers, logs and the 429 body: `[A-Za-z0-9._-]{1,64}`. */
  name: string;
  /** Units per window; a role table (`{ admin: 100, default: 20 }`) or a function. */
  limit: number | RoleLimits | LimitFunction;
  /** Milliseconds or `'500ms'`, `'30s'`, `'1m'`, `'1h'`, `'1d'`. */
  window: number | string;
  /** Default `'sliding'`. */
  algorithm?: Algorithm;
  /** GCRA only: units that may be spent at once. Default `limit`. */
  burst?: number;
  /** What to count by. Default `'user'` (the actor id, or the IP when anonymous). */
  by?: KeyPart | readonly KeyPart[];
  /** Units a request spends (an AI call may cost 5). Default 1. */
  cost?: number | CostFunction;
  /** After a denial, refuse the key for this long. Default none. */
  blockDuration?: number | string;
  /** What is counted, as it reads in the 429 message. Default `'requests'`. */
  unit?: string;
  /** Replaces the 429 sentence's first part ("You can send up to 20 requests per minute."). */
  message?: string;
}

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'must be a function');
const units = z.number().int().min(0).max(1_000_000_000);
const duration = (min: number) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined || ms < min || ms > 366 * 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${min === 0 ? '0' : '1 ms'} to 366 days, as ms or like '30s', '1m', '1d'`,
      });
      return z.NEVER;
    }
    return ms;
  });

const keyPart = z.union([
  z.enum(['user', 'ip', 'tenant', 'route', 'apiKey', 'role', 'global']),
  fn<(input: LimitInput) => string | undefined>(),
]);

export const policySchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must match [A-Za-z0-9._-]{1,64}'),
    limit: z.union([
      units,
      z
        .record(z.string().min(1).max(64), units)
        .refine((t) => Object.hasOwn(t, 'default'), 'a role table needs a "default" entry'),
      fn<LimitFunction>(),
    ]),
    window: duration(1),
    algorithm: z.enum(['fixed', 'sliding', 'gcra']).default('sliding'),
    burst: z.number().int().min(1).max(1_000_000_000).optional(),
    by: z.union([keyPart, z.array(keyPart).min(1).max(8)]).default('user'),
    cost: z.union([units, fn<CostFunction>()]).default(1),
    blockDuration: duration(0).default(0),
    unit: z.string().min(1).max(40).default('requests'),
    message: z.string().min(1).max(500).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.burst !== undefined && p.algorithm !== 'gcra') {
      ctx.addIssue({ code: 'custom', path: ['burst'], message: 'only applies to gcra' });
    }
    const top =
      typeof p.limit === 'number'
        ? p.limit
        : typeof p.limit === 'object'
          ? Math.max(...Object.values(p.limit))
          : 0;
    if (p.algorithm === 'sliding' && top * p.window > Number.MAX_SAFE_INTEGER) {
      ctx.addIssue({
        code: 'custom',
        path: ['limit'],
        message: 'limit × window is too large for sliding',
      });
    }
  });

/** A validated policy, ready for the limiter. */
export interface CompiledPolicy {
  readonly name: string;
  readonly algorithm: Algorithm;
  readonly windowMs: number;
  readonly blockMs: number;
  readonly unit: string;
  readonly message: string | undefined;
  readonly by: KeyPart | readonly KeyPart[];
  limitFor(input: LimitInput): number;
  costFor(input: LimitInput): number;
  /** Whether limit or cost depend on the request (role table or function). */
  readonly dynamic: boolean;
  /** GCRA burst for a given limit (the limit itself unless configured). */
  burstFor(limit: number): number;
}

function checked(value: number, what: string, policy: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `${what} of policy "${policy}" must be a non-negative integer, got ${value}`,
    );
  }
  return value;
}

/** Turns parsed options into the compiled form. */
export function compilePolicy(p: z.output<typeof policySchema>): CompiledPolicy {
  const { limit, cost, burst } = p;
  const limitFor =
    typeof limit === 'number'
      ? () => limit
      : typeof limit === 'function'
        ? (input: LimitInput) => checked(limit(input), 'limit', p.name)
        : (input: LimitInput) => resolveRoleLimit(limit, input.context?.actor?.roles);
  const costFor =
    typeof cost === 'number'
      ? () => cost
      : (input: LimitInput) => checked(cost(input), 'cost', p.name);
  return {
    name: p.name,
    algorithm: p.algorithm,
    windowMs: p.window,
    blockMs: p.blockDuration,
    unit: p.unit,
    message: p.message,
    by: p.by,
    limitFor,
    costFor,
    dynamic: typeof limit !== 'number' || typeof cost !== 'number',
    burstFor: (l) => burst ?? l,
  };
}
