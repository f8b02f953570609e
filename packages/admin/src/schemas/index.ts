import * as z from 'zod/mini';

/**
 * The request bodies of the console's state-changing calls. The same schemas validate the
 * forms in the browser (the UI bundle imports this file) and the bodies on the server.
 * zod/mini: the same validator as zod, tree-shaken to a few kB in the UI bundle.
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const flagKeySchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._-]{1,128}$/, 'is not a flag key'));
export const tenantIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : -'));

/** `POST flags/:key/toggle`. */
export const toggleSchema = z.strictObject({ enabled: z.boolean() });

/** `PUT flags/:key/rollout`: the share of users (0..100) who get `variant`. */
export const rolloutSchema = z.strictObject({
  percentage: z
    .int('must be a whole number')
    .check(z.gte(0, 'must be 0 to 100'), z.lte(100, 'must be 0 to 100')),
  variant: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/** `PUT flags/:key/tenants/:tenant`: switch the flag on or off for one tenant. */
export const tenantOverrideSchema = z.strictObject({ enabled: z.boolean() });

/** `POST flags/:key/revert`: write the flag back as it was at `version`. */
export const revertSchema = z.strictObject({ version: z.int().check(z.positive()) });

/** `PUT logging/:module`. */
export const logLevelSchema = z.strictObject({ level: z.enum(LOG_LEVELS) });

export type ToggleBody = z.infer<typeof toggleSchema>;
export type RolloutBody = z.infer<typeof rolloutSchema>;
export type TenantOverrideBody = z.infer<typeof tenantOverrideSchema>;
export type LogLevelBody = z.infer<typeof logLevelSchema>;
export type RevertBody = z.infer<typeof revertSchema>;

/** A schema of this module (any zod or zod/mini schema). */
export type BodySchema = z.ZodMiniType;

export interface Issue {
  path: string;
  message: string;
}

/** Parses `value`: the data, or the issues as `{ path, message }` (the API's 400 shape). */
export function check<S extends BodySchema>(
  schema: S,
  value: unknown,
): { ok: true; data: z.output<S> } | { ok: false; issues: Issue[] } {
  const r = z.safeParse(schema, value);
  if (r.success) return { ok: true, data: r.data };
  const issues = r.error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: i.message,
  }));
  return { ok: false, issues };
}
