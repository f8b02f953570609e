import { EnvError, parseEnv } from '@platform/core';
import type { z } from 'zod';
import type { Secrets } from '../client/index.js';
import { isSecretRef } from '../reference.js';

type Env = Record<string, string | undefined>;

/**
 * A copy of `env` in which every `secret://<provider>/<path>[#key]` value is replaced by the
 * secret it names, read through `store`. Moving a variable from a plain value to a vault is
 * then a change of configuration, not of code. Fails with one `EnvError` naming every
 * variable that could not be resolved (and why; never a value).
 *
 * @example
 * // DATABASE_URL=secret://vault/app/db#url
 * const env = await resolveSecretRefs(process.env, store);
 */
export async function resolveSecretRefs(env: Env, store: Pick<Secrets, 'getSecret'>): Promise<Env> {
  const out: Env = { ...env };
  const issues: { path: string; message: string }[] = [];
  await Promise.all(
    Object.entries(env).map(async ([name, value]) => {
      if (value === undefined || !isSecretRef(value)) return;
      try {
        out[name] = await store.getSecret(value);
      } catch (error) {
        issues.push({ path: name, message: error instanceof Error ? error.message : 'failed' });
      }
    }),
  );
  if (issues.length === 0) return out;
  issues.sort((a, b) => a.path.localeCompare(b.path));
  const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
  throw new EnvError(
    `Invalid environment: ${issues.length} secret reference(s) unresolved (${issues.map((i) => i.path).join(', ')}):\n${lines}`,
    issues,
  );
}

/**
 * core's `parseEnv` after `resolveSecretRefs`: the schema sees the secret values, written as
 * plain values or as `secret://` references alike.
 *
 * @example
 * const env = await parseEnvWithSecrets(z.object({ DATABASE_URL: z.url() }), store);
 */
export async function parseEnvWithSecrets<S extends z.ZodType>(
  schema: S,
  store: Pick<Secrets, 'getSecret'>,
  env: Env = process.env,
): Promise<z.output<S>> {
  return parseEnv(schema, await resolveSecretRefs(env, store));
}
