// Kept apart from reference.ts so the CLI loads nothing but node built-ins.
export const SCHEME = 'secret://';

/** Whether an environment value is a `secret://` reference. */
export function isSecretRef(value: string): boolean {
  return value.startsWith(SCHEME);
}
