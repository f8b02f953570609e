import { SecretReferenceError } from './errors.js';
import { SCHEME } from './scheme.js';

export { isSecretRef, SCHEME } from './scheme.js';

/** A parsed secret name: `[secret://<provider>/]<path>[?version=<v>][#<key>]`. */
export interface SecretRef {
  /** The provider named by a `secret://` reference; undefined for a plain name (every provider, in order). */
  provider?: string;
  path: string;
  /** The key inside a map-valued secret (a Vault entry, a JSON document). */
  key?: string;
  version?: string;
  /** The reference as written, for messages. */
  text: string;
}

const PROVIDER = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const SEGMENT = /^[A-Za-z0-9_@+=,-][A-Za-z0-9._@+=,-]{0,254}$/;
const KEY = /^[A-Za-z0-9._@+=,-]{1,255}$/;
const VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const TENANT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_LENGTH = 1024;

function checkPath(text: string, path: string): void {
  if (path === '') throw new SecretReferenceError(text, 'the path is empty');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..')
      throw new SecretReferenceError(text, 'empty, "." and ".." path segments are not allowed');
    if (!SEGMENT.test(segment))
      throw new SecretReferenceError(
        text,
        'path segments may hold letters, digits and . _ @ + = , - only (and may not start with ".")',
      );
  }
}

/**
 * Parses a secret name or `secret://` reference, refusing anything that could walk out of
 * the provider's namespace (`..`, empty segments, backslashes, control characters).
 *
 * @example
 * parseSecretRef('secret://vault/db/main?version=3#password');
 * // { provider: 'vault', path: 'db/main', version: '3', key: 'password', text: ... }
 */
export function parseSecretRef(input: string): SecretRef {
  if (typeof input !== 'string' || input.length === 0)
    throw new SecretReferenceError(String(input), 'a secret name must be a non-empty string');
  const text = input.length > 80 ? `${input.slice(0, 80)}…` : input;
  if (input.length > MAX_LENGTH)
    throw new SecretReferenceError(text, `longer than ${MAX_LENGTH} characters`);
  let rest = input;
  let provider: string | undefined;
  if (rest.includes('://')) {
    if (!rest.startsWith(SCHEME))
      throw new SecretReferenceError(text, `only ${SCHEME} references are supported`);
    rest = rest.slice(SCHEME.length);
    const slash = rest.indexOf('/');
    provider = slash === -1 ? rest : rest.slice(0, slash);
    if (!PROVIDER.test(provider))
      throw new SecretReferenceError(text, 'expected secret://<provider>/<path>');
    rest = slash === -1 ? '' : rest.slice(slash + 1);
  }
  let key: string | undefined;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    key = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
    if (!KEY.test(key))
      throw new SecretReferenceError(text, 'the #key is empty or holds invalid characters');
  }
  let version: string | undefined;
  const query = rest.indexOf('?');
  if (query !== -1) {
    const params = new URLSearchParams(rest.slice(query + 1));
    rest = rest.slice(0, query);
    version = params.get('version') ?? undefined;
    if (
      [...params.keys()].some((k) => k !== 'version') ||
      version === undefined ||
      !VERSION.test(version)
    )
      throw new SecretReferenceError(
        text,
        'the only query parameter allowed is ?version=<version>',
      );
  }
  checkPath(text, rest);
  return { provider, path: rest, key, version, text: input };
}

/** Formats a reference back to its text (`secret://vault/db#password`). */
export function formatSecretRef(ref: Omit<SecretRef, 'text'>): string {
  const base = ref.provider ? `${SCHEME}${ref.provider}/${ref.path}` : ref.path;
  return `${base}${ref.version ? `?version=${ref.version}` : ''}${ref.key ? `#${ref.key}` : ''}`;
}

/** Refuses tenant ids that are empty, too long, or hold path separators or `..`. */
export function checkTenant(tenant: string): void {
  if (typeof tenant !== 'string' || !TENANT.test(tenant))
    throw new SecretReferenceError(
      `tenant:${String(tenant).slice(0, 40)}`,
      'a tenant id is 1-128 letters, digits, . _ - (no path separators, not starting with ".")',
    );
}

/**
 * Expands the tenant path template (`tenants/{tenant}/{name}` by default) into a reference.
 * The tenant is validated first, so it can never add a path segment or climb out of its own.
 */
export function tenantRef(template: string, tenant: string, name: string): SecretRef {
  checkTenant(tenant);
  const inner = parseSecretRef(name);
  if (inner.provider)
    throw new SecretReferenceError(
      name,
      'a tenant secret name is a plain name, not a secret:// reference',
    );
  const suffix = formatSecretRef({ path: inner.path, key: inner.key, version: inner.version });
  return parseSecretRef(template.replace('{tenant}', tenant).replace('{name}', suffix));
}
