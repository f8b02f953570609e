import { ValidationError } from '@platform/errors';

/**
 * What a tenant id may be: 1 to 128 letters, digits, `.`, `_` or `-`, starting with a letter
 * or digit. No `:` `/` `\` `{` `}`, whitespace or control characters, so an id can never
 * step out of its Redis key segment, its object-storage folder or a Cluster hash tag.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** True when `value` is a valid tenant id. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

/** The tenant id, or a 400 `ValidationError` (`code: 'invalid_tenant'`) saying what is wrong. */
export function tenantId(value: unknown, what = 'tenant'): string {
  if (isTenantId(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  const message = `${what} must be 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit (got ${shown})`;
  throw new ValidationError(message, {
    code: 'invalid_tenant',
    errors: [{ path: what, message }],
  });
}
