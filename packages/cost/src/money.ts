/** One US dollar in nano-USD: every amount in this package is an integer count of 1e-9 USD. */
export const NANO_PER_USD = 1_000_000_000n;

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/**
 * Parses a decimal USD string (`"2.50"`, `"0.000075"`) to nano-USD exactly, with no
 * floating point in between. Throws a TypeError naming the value when it is not a plain
 * non-negative decimal with at most nine fractional digits.
 *
 * @example
 * usd('2.50') // 2_500_000_000n
 */
export function usd(value: string): bigint {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new TypeError(`"${value}" is not a USD amount (digits, at most 9 decimals)`);
  const whole = BigInt(m[1] as string);
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'));
  return whole * NANO_PER_USD + frac;
}

/** Formats nano-USD as a decimal string with `digits` fractional digits (truncated, never rounded up). */
export function formatUsd(nano: bigint, digits = 2): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / NANO_PER_USD;
  const frac = (abs % NANO_PER_USD).toString().padStart(9, '0').slice(0, digits);
  const body = digits > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative ? `-${body}` : body;
}
