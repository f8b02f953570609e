import type { z } from 'zod';

/** Thrown at construction when options are invalid; the message names every bad field. */
export class ConfigError extends TypeError {
  override readonly name: string = 'ConfigError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Parses options with a zod schema, throwing a ConfigError that names each bad field. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  throw new ConfigError(`Invalid ${where} options:\n${lines}`, issues);
}
