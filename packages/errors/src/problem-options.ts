import { parseOptions } from '@platform/core';
import { z } from 'zod';
import { LOCALE_PATTERN, type MessageTable } from './messages.js';

/**
 * The problem `type` when the host documents none (RFC 9457 section 4.2.1): the problem means
 * what its status means; the precise kind is in the `code` member.
 */
export const DEFAULT_PROBLEM_TYPE = 'about:blank';

const localized = z.union([
  z.string().min(1).max(2000),
  z.record(z.string().regex(LOCALE_PATTERN, 'must be a language tag'), z.string().min(1).max(2000)),
]);

export const problemOptionsShape = {
  production: z.boolean().optional(),
  typeBase: z
    .url()
    .max(500)
    .refine((u) => u !== DEFAULT_PROBLEM_TYPE, 'omit it for about:blank')
    // An http(s) base is a folder of pages; other schemes (tag:, urn:) bring their own separator.
    .transform((u) => (/^https?:/i.test(u) && !u.endsWith('/') ? `${u}/` : u))
    .optional(),
  messages: z.record(z.string(), localized).default({}),
  titles: z.record(z.string(), localized).default({}),
  defaultLocale: z.string().regex(LOCALE_PATTERN, 'must be a language tag').default('en'),
  authScheme: z
    .union([
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?: [^\r\n]{1,500})?$/),
      z.literal(false),
    ])
    .default('Bearer'),
};

const problemOptionsSchema = z.object(problemOptionsShape);

/** How problem bodies are worded and addressed. */
export interface ProblemOptions {
  /** No stack, internal message or cause in bodies. Default: `NODE_ENV === 'production'`. */
  production?: boolean;
  /**
   * Where the host documents its problem types: `type` becomes this base followed by the code
   * (`https://docs.example.com/problems/` or `tag:example.com,2026:problems/`). Without it
   * `type` is `about:blank` and the code is only in the `code` member.
   */
  typeBase?: string;
  /** Friendly `detail` per code or category, optionally per locale. */
  messages?: MessageTable;
  /** `title` per code or category, optionally per locale. */
  titles?: MessageTable;
  /** Locale used when none of the preferred ones has a text. Default `en`. */
  defaultLocale?: string;
  /** `WWW-Authenticate` challenge on 401 responses, or `false` for none. Default `Bearer`. */
  authScheme?: string | false;
}

export interface ResolvedProblemOptions {
  production: boolean;
  typeBase?: string;
  messages: MessageTable;
  titles: MessageTable;
  defaultLocale: string;
  authScheme: string | false;
}

export function isProductionEnv(): boolean {
  return globalThis.process?.env?.NODE_ENV === 'production';
}

/** Validates problem options (throws a ConfigError naming each bad field) and fills defaults. */
export function resolveProblemOptions(
  parsed: z.output<typeof problemOptionsSchema>,
): ResolvedProblemOptions {
  return { ...parsed, production: parsed.production ?? isProductionEnv() };
}

const cache = new WeakMap<object, ResolvedProblemOptions>();

/** Parsed options, cached per options object so repeated calls do not re-validate. */
export function compileProblemOptions(options: ProblemOptions | undefined): ResolvedProblemOptions {
  if (options === undefined) return resolveProblemOptions(problemOptionsSchema.parse({}));
  const hit = cache.get(options);
  if (hit) return hit;
  const resolved = resolveProblemOptions(parseOptions(problemOptionsSchema, options, 'toProblem'));
  cache.set(options, resolved);
  return resolved;
}
