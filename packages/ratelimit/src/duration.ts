const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PATTERN = /^(\d+)\s*(ms|s|sec|m|min|h|d)$/;

/** Milliseconds of `'500ms'`, `'20s'`, `'1m'`, `'2h'`, `'1d'` or a number of ms; undefined when invalid. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  const match = PATTERN.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] ?? 0);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

const SPANS: [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** `per minute`, `every 10 minutes`, `every 1500 ms`: how a window reads in a sentence. */
export function describeWindow(ms: number): string {
  for (const [size, unit] of SPANS) {
    if (ms % size !== 0) continue;
    const n = ms / size;
    return n === 1 ? `per ${unit}` : `every ${n} ${unit}s`;
  }
  return `every ${ms} ms`;
}

/** `12 seconds`, `3 minutes`, `2 hours`, `1 day`: a wait, rounded up to its largest unit. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  const [n, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.ceil(seconds / 60), 'minute']
        : seconds < 172_800
          ? [Math.ceil(seconds / 3600), 'hour']
          : [Math.ceil(seconds / 86_400), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
