export type Period = 'day' | 'month';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when the runtime does not know it. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

interface Local {
  y: number;
  m: number;
  d: number;
}

function localParts(at: number, timeZone: string): Local & { h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    y: parts.year as number,
    m: parts.month as number,
    d: parts.day as number,
    h: parts.hour as number,
    mi: parts.minute as number,
    s: parts.second as number,
  };
}

/** Offset of `timeZone` from UTC at `at`, in ms (local = utc + offset). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The UTC instant of local midnight starting `y-m-d` in `timeZone`. */
function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const naive = Date.UTC(y, m - 1, d);
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local calendar day (`YYYY-MM-DD`) of `at` in `timeZone`. */
export function localDay(at: number, timeZone: string): string {
  return periodWindow('day', at, timeZone).key;
}

export interface PeriodWindow {
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month, in the tenant's zone. */
  key: string;
  /** Epoch ms when the period started and when the next one starts. */
  start: number;
  end: number;
}

/**
 * The calendar period containing `at` in `timeZone`, with its start and end instants
 * (DST-aware: a local day may last 23 or 25 hours).
 *
 * @example
 * periodWindow('day', Date.now(), 'Europe/Berlin') // { key: '2026-03-29', start, end }
 */
export function periodWindow(period: Period, at: number, timeZone: string): PeriodWindow {
  // Formatting a date in a zone costs microseconds: keep the current window of each zone.
  const cacheKey = `${period}|${timeZone}`;
  const hit = windows.get(cacheKey);
  if (hit && hit.start <= at && at < hit.end) return hit;
  const w = computeWindow(period, at, timeZone);
  if (windows.size > 1000) windows.clear();
  windows.set(cacheKey, w);
  return w;
}

const windows = new Map<string, PeriodWindow>();

function computeWindow(period: Period, at: number, timeZone: string): PeriodWindow {
  const p = localParts(at, timeZone);
  if (period === 'day') {
    const next = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
    return {
      key: `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`,
      start: localMidnight(p.y, p.m, p.d, timeZone),
      end: localMidnight(
        next.getUTCFullYear(),
        next.getUTCMonth() + 1,
        next.getUTCDate(),
        timeZone,
      ),
    };
  }
  const next = new Date(Date.UTC(p.y, p.m, 1));
  return {
    key: `${pad(p.y, 4)}-${pad(p.m)}`,
    start: localMidnight(p.y, p.m, 1, timeZone),
    end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, 1, timeZone),
  };
}
