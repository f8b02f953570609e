import { isSecretRef } from '../scheme.js';

/** Why a variable looks like it holds a secret. */
export type ScanReason = 'secret-like name' | 'URL with a password' | 'high-entropy value';

export interface ScanFinding {
  name: string;
  reasons: ScanReason[];
}

export interface ScanOptions {
  /** Variable names to leave out (known non-secrets such as a commit SHA). */
  ignore?: readonly string[];
  /** Minimum Shannon entropy (bits per character) of a token-like value. Default 3.5. */
  minEntropy?: number;
  /** Minimum length of a token-like value. Default 20. */
  minLength?: number;
}

const NAME =
  /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRETS|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)(_|$)|_KEY$|^KEY$|PASSWORD/i;
/** Names that match the pattern but are not secrets. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'GPG_AGENT_INFO']);
const TOKEN_LIKE = /^[A-Za-z0-9+/=_.-]+$/;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function urlWithPassword(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}

/**
 * Lists the variables that still look like they hold secrets: a secret-like name
 * (`*_KEY`, `*_SECRET`, `*_TOKEN`, `*PASSWORD*`, ...), a URL with a password in it
 * (`DATABASE_URL=postgres://app:pw@db/app`), or a long high-entropy token. Values that are
 * `secret://` references and empty values are skipped. Returns names and reasons only.
 *
 * @example
 * for (const f of scanEnv(process.env)) console.log(f.name, f.reasons.join(', '));
 */
export function scanEnv(
  env: Record<string, string | undefined>,
  options: ScanOptions = {},
): ScanFinding[] {
  const ignore = new Set(options.ignore ?? []);
  const minEntropy = options.minEntropy ?? 3.5;
  const minLength = options.minLength ?? 20;
  const findings: ScanFinding[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || ignore.has(name) || NOT_SECRET.has(name) || isSecretRef(value)) continue;
    const reasons: ScanReason[] = [];
    if (NAME.test(name)) reasons.push('secret-like name');
    if (urlWithPassword(value)) reasons.push('URL with a password');
    else if (
      value.length >= minLength &&
      TOKEN_LIKE.test(value) &&
      /[0-9]/.test(value) &&
      /[A-Za-z]/.test(value) &&
      entropy(value) >= minEntropy
    )
      reasons.push('high-entropy value');
    if (reasons.length) findings.push({ name, reasons });
  }
  return findings.sort((a, b) => a.name.localeCompare(b.name));
}
