import { describe, expect, it } from 'vitest';
import { parseRequestId, REQUEST_ID_PATTERN, uuidv7 } from './request-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const timestampOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

// The generator keeps module state (last millisecond, counter), so these run in order:
// the Date.now() check comes before anything that could push the clock ahead.
describe('uuidv7', () => {
  it('has the version 7 nibble and the RFC 9562 variant bits', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toMatch(V7);
      expect(id[14]).toBe('7');
      expect(Number.parseInt(id[19]!, 16) & 0b1100).toBe(0b1000);
    }
  });

  it('starts with the current Unix time in milliseconds', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after);
  });

  it('is strictly increasing over 100k ids from a tight loop, within one millisecond too', () => {
    const ids = new Array<string>(100_000);
    for (let i = 0; i < ids.length; i++) ids[i] = uuidv7();
    let sameMs = 0;
    const outOfOrder: number[] = [];
    for (let i = 1; i < ids.length; i++) {
      if (!(ids[i - 1]! < ids[i]!)) outOfOrder.push(i);
      if (timestampOf(ids[i - 1]!) === timestampOf(ids[i]!)) sameMs++;
    }
    expect(outOfOrder).toEqual([]);
    expect(sameMs).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses the given time when it is ahead of the last id', () => {
    const t = Date.now() + 60_000;
    expect(timestampOf(uuidv7(t))).toBe(t);
    expect(timestampOf(uuidv7(t + 1))).toBe(t + 1);
  });

  it('stays monotonic when the clock goes backwards', () => {
    const t = Date.now() + 120_000;
    const first = uuidv7(t);
    const ids = [first];
    for (const back of [1, 1000, 3_600_000, t]) ids.push(uuidv7(t - back));
    for (let i = 1; i < ids.length; i++) expect(ids[i - 1]! < ids[i]!).toBe(true);
    for (const id of ids) expect(timestampOf(id)).toBe(t);
  });

  it('moves to the next millisecond when the 12-bit counter overflows', () => {
    const t = Date.now() + 180_000;
    const ids = Array.from({ length: 5000 }, () => uuidv7(t));
    for (let i = 1; i < ids.length; i++) expect(ids[i - 1]! < ids[i]!).toBe(true);
    expect(timestampOf(ids[0]!)).toBe(t);
    expect(timestampOf(ids.at(-1)!)).toBeGreaterThan(t);
    expect(timestampOf(ids.at(-1)!)).toBeLessThanOrEqual(t + 3);
  });

  it('fills the tail with random bits', () => {
    const tails = new Set(Array.from({ length: 1000 }, () => uuidv7().slice(19)));
    expect(tails.size).toBe(1000);
  });
});

describe('parseRequestId', () => {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';

  it.each([
    'a',
    charset,
    '0193a6c2-7b1d-7f00-8a2b-3c4d5e6f7081',
    'req.0001',
    'trace:span-1.2',
    'x'.repeat(128),
  ])('accepts %j', (id) => {
    expect(parseRequestId(id)).toBe(id);
  });

  it.each([
    ['129 characters', 'x'.repeat(129)],
    ['10 kB', 'a'.repeat(10_240)],
    ['empty', ''],
    ['CRLF', 'abc\r\nSet-Cookie: a=1'],
    ['LF', 'abc\ndef'],
    ['space', 'abc def'],
    ['tab', 'abc\tdef'],
    ['NUL', 'abc\u0000'],
    ['non-ASCII', 'héllo'],
    ['full-width letters', 'ａｂｃ'],
    ['emoji', 'id-😀'],
    ['slash', '../etc/passwd'],
    ['markup', '<script>'],
    ['quote', '"abc"'],
    ['trailing newline', 'abc\n'],
  ])('rejects %s', (_, id) => {
    expect(parseRequestId(id)).toBeUndefined();
  });

  it.each([undefined, null, 42, true, {}, ['abc'], { toString: () => 'abc' }])(
    'rejects the non-string %j',
    (value) => {
      expect(parseRequestId(value)).toBeUndefined();
    },
  );

  it('agrees with REQUEST_ID_PATTERN', () => {
    expect(REQUEST_ID_PATTERN.source).toBe('^[A-Za-z0-9._:-]{1,128}$');
    for (const c of charset) expect(parseRequestId(c)).toBe(c);
  });
});
