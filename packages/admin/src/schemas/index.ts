import { z } from 'zod';

/**
 * The request bodies of the console's state-changing calls. The same schemas validate the
 * forms in the browser (the UI bundle imports this file) and the bodies on the server.
 */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const flagKeySchema = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'is not a flag key');
export const tenantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : -');

/** `POST flags/:key/toggle`. */
export const toggleSchema = z.strictObject({ enabled: z.boolean() });

/** `PUT flags/:key/rollout`: the share of users (0..100) who get `variant`. */
export const rolloutSchema = z.strictObject({
  percentage: z.number().int('must be a whole number').min(0).max(100),
  variant: z.string().min(1).max(200).optional(),
});

/** `PUT flags/:key/tenants/:tenant`: switch the flag on or off for one tenant. */
export const tenantOverrideSchema = z.strictObject({ enabled: z.boolean() });

/** `PUT logging/:module`. */
export const logLevelSchema = z.strictObject({ level: z.enum(LOG_LEVELS) });

export type ToggleBody = z.infer<typeof toggleSchema>;
export type RolloutBody = z.infer<typeof rolloutSchema>;
export type TenantOverrideBody = z.infer<typeof tenantOverrideSchema>;
export type LogLevelBody = z.infer<typeof logLevelSchema>;

/** A failed parse as `{ path, message }` pairs, the shape the API's 400 problems carry. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}
