import { ValidationError } from '@platform/errors';
import { tenantId } from './ids.js';

export interface TenantKeyOptions {
  /** Prepended to every key. Default `t:`. */
  prefix?: string;
  /**
   * Wrap the tenant in a Redis Cluster hash tag (`t:{acme}:...`) so all of a tenant's keys
   * share one slot (multi-key commands and scripts across them work). Default false.
   */
  hashTag?: boolean;
}

/**
 * A Redis key in a tenant's namespace: `t:<tenant>:<part>:<part>`. The tenant id is
 * validated (it cannot contain `:` or braces), so no tenant's keys can collide with
 * another's, whatever the parts hold.
 *
 * @example
 * await redis.get(tenantKey('acme', 'session', sessionId)); // "t:acme:session:..."
 */
export function tenantKey(tenant: string, ...parts: (string | number)[]): string {
  return tenantKeyWith({}, tenant, ...parts);
}

/** `tenantKey` with a prefix of your own or a Cluster hash tag. */
export function tenantKeyWith(
  options: TenantKeyOptions,
  tenant: string,
  ...parts: (string | number)[]
): string {
  const id = tenantId(tenant);
  if (parts.length === 0 || parts.some((p) => `${p}` === '')) {
    throw new ValidationError('tenantKey: at least one non-empty key part is required', {
      code: 'invalid_key',
    });
  }
  const prefix = options.prefix ?? 't:';
  const segment = options.hashTag ? `{${id}}` : id;
  return `${prefix}${segment}:${parts.join(':')}`;
}

function badSegment(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return true;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return true; // control characters, backslash
  }
  return false;
}

/**
 * An object-storage path inside a tenant's folder: `tenants/<tenant>/<path>`. Refuses
 * absolute paths, empty, `.` and `..` segments, backslashes and control characters, so a
 * path taken from a request cannot reach another tenant's objects.
 *
 * @example
 * await s3.putObject({ Bucket, Key: tenantPath('acme', 'invoices/2026/07.pdf'), Body });
 */
export function tenantPath(tenant: string, path: string, root = 'tenants'): string {
  const id = tenantId(tenant);
  const segments = typeof path === 'string' ? path.split('/') : [''];
  if (segments.some(badSegment)) {
    throw new ValidationError(
      'tenantPath: path must be relative, without empty, "." or ".." segments, backslashes or control characters',
      { code: 'invalid_path' },
    );
  }
  return `${root}/${id}/${segments.join('/')}`;
}
