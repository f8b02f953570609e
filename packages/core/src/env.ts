import type { z } from 'zod';
import { ConfigError } from './options.js';

/** Thrown by `parseEnv` when variables are missing or invalid; lists each by name. */
export class EnvError extends ConfigError {
  override readonly name: string = 'EnvError';
}

/**
 * Parses environment variables with a zod object schema and reports every invalid
 * variable by name in one error (values are never included: they may be secrets).
 *
 * @example
 * const env = parseEnv(z.object({ PORT: z.coerce.number().int().default(3000), DATABASE_URL: z.url() }));
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  const names = [...new Set(issues.map((i) => i.path))];
  const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  throw new EnvError(
    `Invalid environment: ${names.length} variable(s) wrong (${names.join(', ')}):\n${lines}`,
    issues,
  );
}
