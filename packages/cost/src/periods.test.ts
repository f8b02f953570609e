import { describe, expect, it } from 'vitest';
import { periodWindow } from './periods.js';

describe('periodWindow', () => {
  it('UTC days and months', () => {
    const at = Date.parse('2026-03-31T23:59:59Z');
    expect(periodWindow('day', at, 'UTC')).toEqual({
      key: '2026-03-31',
      start: Date.parse('2026-03-31T00:00:00Z'),
      end: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(periodWindow('month', at, 'UTC').end).toBe(Date.parse('2026-04-01T00:00:00Z'));
  });

  it('local days in a non-UTC zone, across a DST change (23-hour day)', () => {
    const at = Date.parse('2026-03-29T10:00:00Z'); // Europe/Berlin springs forward this day
    const w = periodWindow('day', at, 'Europe/Berlin');
    expect(w.key).toBe('2026-03-29');
    expect(new Date(w.start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(w.end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(w.end - w.start).toBe(23 * 3_600_000);
  });

  it('a UTC instant belongs to the local day and month of the zone', () => {
    const at = Date.parse('2026-01-31T20:00:00Z');
    expect(periodWindow('day', at, 'Asia/Tokyo').key).toBe('2026-02-01');
    expect(periodWindow('month', at, 'Asia/Tokyo')).toMatchObject({
      key: '2026-02',
      start: Date.parse('2026-01-31T15:00:00Z'),
      end: Date.parse('2026-02-28T15:00:00Z'),
    });
    expect(periodWindow('day', at, 'America/Los_Angeles').key).toBe('2026-01-31');
  });
});
