import { parseEnv } from '@platform/core';
import { z } from 'zod';
import type { RateLimiterOptions } from './options.js';
import type { PolicyOptions } from './policy.js';

export interface EnvOptions {
  /** Variable prefix. Default `RATE_LIMIT` (reads `RATE_LIMIT_PER_MINUTE`, ...). */
  prefix?: string;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
}

const PER: Record<string, number> = {
  PER_SECOND: 1000,
  PER_MINUTE: 60_000,
  PER_HOUR: 3_600_000,
  PER_DAY: 86_400_000,
};

const int = (min: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(1_000_000_000))
    .optional();
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

function names(prefix: string | undefined) {
  const p = prefix ?? 'RATE_LIMIT';
  if (!/^[A-Z][A-Z0-9_]{0,40}$/.test(p)) throw new TypeError(`invalid env prefix "${p}"`);
  return (suffix: string) => `${p}_${suffix}`;
}

/**
 * A policy whose limit, window, algorithm, burst and block duration can be overridden by
 * environment variables: `<PREFIX>_PER_SECOND|_PER_MINUTE|_PER_HOUR|_PER_DAY`, or
 * `<PREFIX>_LIMIT` with `<PREFIX>_WINDOW_MS`; `<PREFIX>_ALGORITHM`, `<PREFIX>_BURST`,
 * `<PREFIX>_BLOCK_MS`. Invalid variables throw one error naming each.
 *
 * @example
 * // RATE_LIMIT_PER_MINUTE=50
 * const policy = policyFromEnv({ name: 'api', limit: 20, window: '1m', by: 'user' });
 */
export function policyFromEnv(defaults: PolicyOptions, options: EnvOptions = {}): PolicyOptions {
  const name = names(options.prefix);
  const shape: Record<string, z.ZodType> = {
    [name('LIMIT')]: int(0),
    [name('WINDOW_MS')]: int(1),
    [name('ALGORITHM')]: z.enum(['fixed', 'sliding', 'gcra']).optional(),
    [name('BURST')]: int(1),
    [name('BLOCK_MS')]: int(0),
  };
  for (const per of Object.keys(PER)) shape[name(per)] = int(0);
  const schema = z.looseObject(shape).superRefine((env, ctx) => {
    const set = [name('LIMIT'), ...Object.keys(PER).map(name)].filter((k) => env[k] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [set[1] as string],
        message: `conflicts with ${set[0]}`,
      });
    }
    if (env[name('WINDOW_MS')] !== undefined && set.length === 1 && set[0] !== name('LIMIT')) {
      ctx.addIssue({
        code: 'custom',
        path: [name('WINDOW_MS')],
        message: `conflicts with ${set[0]}`,
      });
    }
  });
  const env = parseEnv(schema, options.env ?? process.env) as Record<string, unknown>;
  const out: PolicyOptions = { ...defaults };
  for (const [per, ms] of Object.entries(PER)) {
    const v = env[name(per)];
    if (typeof v === 'number') Object.assign(out, { limit: v, window: ms });
  }
  const take = <K extends keyof PolicyOptions>(key: K, variable: string) => {
    const v = env[name(variable)];
    if (v !== undefined) out[key] = v as PolicyOptions[K];
  };
  take('limit', 'LIMIT');
  take('window', 'WINDOW_MS');
  take('algorithm', 'ALGORITHM');
  take('burst', 'BURST');
  take('blockDuration', 'BLOCK_MS');
  return out;
}

/**
 * Limiter switches from the environment: `<PREFIX>_DRY_RUN` (`true`/`false`/`1`/`0`) and
 * `<PREFIX>_FAIL_MODE` (`open`/`closed`). Only variables that are set appear in the result.
 *
 * @example
 * const limiter = rateLimiter({ policies: [policy], ...limiterOptionsFromEnv() });
 */
export function limiterOptionsFromEnv(
  options: EnvOptions = {},
): Pick<RateLimiterOptions, 'dryRun' | 'failMode'> {
  const name = names(options.prefix);
  const schema = z.looseObject({
    [name('DRY_RUN')]: bool,
    [name('FAIL_MODE')]: z.enum(['open', 'closed']).optional(),
  });
  const env = parseEnv(schema, options.env ?? process.env) as Record<string, unknown>;
  const out: Pick<RateLimiterOptions, 'dryRun' | 'failMode'> = {};
  const dryRun = env[name('DRY_RUN')];
  const failMode = env[name('FAIL_MODE')];
  if (typeof dryRun === 'boolean') out.dryRun = dryRun;
  if (failMode === 'open' || failMode === 'closed') out.failMode = failMode;
  return out;
}
