import { parseOptions } from '@platform/core';
import { z } from 'zod';

const FEATURES = [
  'accelerometer',
  'attribution-reporting',
  'autoplay',
  'bluetooth',
  'browsing-topics',
  'camera',
  'captured-surface-control',
  'clipboard-read',
  'clipboard-write',
  'compute-pressure',
  'cross-origin-isolated',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'keyboard-map',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'storage-access',
  'sync-xhr',
  'unload',
  'usb',
  'web-share',
  'window-management',
  'xr-spatial-tracking',
] as const;

/** A Permissions-Policy feature name. */
export type PermissionsFeature = (typeof FEATURES)[number];

type Camel<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<Camel<T>>}`
  : S;

/**
 * Who may use a feature: `'none'` (or `[]`) nobody, `'self'` this origin, `'*'` everyone,
 * or a list of `'self'`, `'src'` and origins such as `'https://maps.example'`.
 * `false` drops the feature from the header (the browser default applies).
 */
export type Allowlist = 'none' | 'self' | '*' | readonly string[] | false;

export interface PermissionsPolicyOptions {
  /** Start from the defaults that switch powerful features off (default true). */
  useDefaults?: boolean;
  features?: Partial<Record<PermissionsFeature | Camel<PermissionsFeature>, Allowlist>>;
}

/** Powerful features switched off unless the app opts in. */
export const POWERFUL_FEATURES_OFF: Readonly<Partial<Record<PermissionsFeature, Allowlist>>> = {
  accelerometer: 'none',
  bluetooth: 'none',
  'browsing-topics': 'none',
  camera: 'none',
  'display-capture': 'none',
  geolocation: 'none',
  gyroscope: 'none',
  hid: 'none',
  'idle-detection': 'none',
  'local-fonts': 'none',
  magnetometer: 'none',
  microphone: 'none',
  midi: 'none',
  payment: 'none',
  'screen-wake-lock': 'none',
  serial: 'none',
  usb: 'none',
  'xr-spatial-tracking': 'none',
};

const KNOWN = new Set<string>(FEATURES);
const ORIGIN = /^https?:\/\/(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::\d{1,5})?$/i;

function featureName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function member(entry: string): string | undefined {
  const bare = entry.replace(/^'(self|src)'$/, '$1');
  if (bare === 'self' || bare === 'src') return bare;
  if (ORIGIN.test(entry)) return `"${entry.toLowerCase()}"`;
  return undefined;
}

function serialize(allowlist: Exclude<Allowlist, false>): string {
  if (allowlist === 'none') return '()';
  if (allowlist === '*') return '*';
  if (allowlist === 'self') return '(self)';
  if (allowlist.length === 1 && allowlist[0] === '*') return '*';
  return `(${allowlist.map((e) => member(e)).join(' ')})`;
}

function checkAllowlist(name: string, value: unknown): string[] {
  if (value === false || value === 'none' || value === 'self' || value === '*') return [];
  if (!Array.isArray(value)) {
    return [`${name}: allowlist must be false, 'none', 'self', '*' or a list of origins`];
  }
  const errors: string[] = [];
  for (const entry of value) {
    if (entry === '*' && value.length > 1) errors.push(`${name}: '*' must be alone`);
    else if (entry !== '*' && (typeof entry !== 'string' || !member(entry))) {
      errors.push(`${name}: ${JSON.stringify(entry)} is not 'self', 'src' or an http(s) origin`);
    }
  }
  return errors;
}

export const permissionsPolicySchema = z.strictObject({
  useDefaults: z.boolean().optional(),
  features: z
    .record(
      z.string(),
      z.custom<Allowlist>(() => true),
    )
    .superRefine((features, ctx) => {
      for (const [key, value] of Object.entries(features)) {
        const name = featureName(key);
        const errors = KNOWN.has(name)
          ? checkAllowlist(name, value)
          : [`unknown Permissions-Policy feature "${key}"`];
        for (const message of errors) ctx.addIssue({ code: 'custom', path: [key], message });
      }
    })
    .optional(),
});

/** Renders validated options; the header value, or undefined when no feature is listed. */
export function compilePermissionsPolicy(
  options: z.output<typeof permissionsPolicySchema> = {},
): string | undefined {
  const features = new Map<string, Allowlist>(
    options.useDefaults === false ? [] : Object.entries(POWERFUL_FEATURES_OFF),
  );
  for (const [key, value] of Object.entries(options.features ?? {})) {
    features.set(featureName(key), value);
  }
  const parts: string[] = [];
  for (const [name, allowlist] of features) {
    if (allowlist !== false) parts.push(`${name}=${serialize(allowlist)}`);
  }
  return parts.length === 0 ? undefined : parts.join(', ');
}

/**
 * Builds a Permissions-Policy header value. Powerful features (camera, microphone,
 * geolocation, payment, USB, …) are off unless you allow them.
 *
 * @example
 * permissionsPolicy({ features: { geolocation: 'self', camera: ['self', 'https://meet.example'] } });
 * // 'accelerometer=(), …, camera=(self "https://meet.example"), geolocation=(self), …'
 */
export function permissionsPolicy(options?: PermissionsPolicyOptions): string {
  const parsed = parseOptions(permissionsPolicySchema, options, 'permissionsPolicy');
  return compilePermissionsPolicy(parsed) ?? '';
}
