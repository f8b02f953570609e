import { describe, expect, it } from 'vitest';
import { createRedactor, neutralize, REDACTED } from './redact.js';

describe('createRedactor', () => {
  const redact = createRedactor({ keys: ['x-internal'], paths: ['body.users.*.email'] });

  it('replaces default and extra keys at any depth, whatever their case or separators', () => {
    expect(
      redact({ a: { PASSWORD: 'p', api_key: 'k', 'X-Internal': 1, Set_Cookie: 'c' }, ok: 'fine' }),
    ).toEqual({
      a: { PASSWORD: REDACTED, api_key: REDACTED, 'X-Internal': REDACTED, Set_Cookie: REDACTED },
      ok: 'fine',
    });
  });

  it('replaces configured paths, with * matching one segment', () => {
    expect(redact({ users: [{ email: 'a@b.c' }] }, ['body'])).toEqual({
      users: [{ email: REDACTED }],
    });
    expect(redact({ email: 'kept@b.c' }, ['body'])).toEqual({ email: 'kept@b.c' });
  });

  it('keeps keys named like Object.prototype members as plain keys', () => {
    const input = JSON.parse('{"__proto__": {"password": "p"}, "constructor": "c"}');
    const out = redact(input) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(out))).toEqual(
      JSON.parse(`{"__proto__": {"password": "${REDACTED}"}, "constructor": "c"}`),
    );
  });

  it('masks Luhn-valid card numbers only', () => {
    expect(redact({ note: 'card 4111-1111-1111-1111 ok' })).toEqual({
      note: `card ${REDACTED} ok`,
    });
    expect(redact({ note: 'order 1234567890123' })).toEqual({ note: 'order 1234567890123' });
  });

  it('bounds depth and turns non-JSON values into JSON-safe ones', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 12; i++) deep = { d: deep };
    expect(JSON.stringify(redact(deep))).toContain('[TRUNCATED]');
    expect(redact({ n: Number.NaN, b: 10n, d: new Date(0), f: () => 1 })).toEqual({
      n: null,
      b: '10',
      d: '1970-01-01T00:00:00.000Z',
      f: undefined,
    });
  });
});

describe('neutralize', () => {
  it('escapes CR, LF, NUL and other control characters so no one can forge a log line', () => {
    expect(neutralize('a\r\nb\u0000c\u001bd\u2028')).toBe(
      'a\\u000d\\u000ab\\u0000c\\u001bd\\u2028',
    );
  });
});
