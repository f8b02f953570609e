import { describe, expect, it } from 'vitest';
import { ConfigError } from '../options.js';
import { sqlIdentifier } from './sql.js';

describe('sqlIdentifier', () => {
  it('quotes names of letters, digits and underscores', () => {
    expect(sqlIdentifier('public', 'schema')).toBe('"public"');
    expect(sqlIdentifier('_audit_2026', 'schema')).toBe('"_audit_2026"');
    expect(sqlIdentifier('Flags', 'table')).toBe('"Flags"');
    expect(sqlIdentifier('a'.repeat(63), 'schema')).toBe(`"${'a'.repeat(63)}"`);
  });

  it.each([
    ['', 'empty'],
    ['1st', 'a leading digit'],
    ['a-b', 'a dash'],
    ['a b', 'a space'],
    ['x"; DROP TABLE t; --', 'a quote'],
    ['ümlaut', 'a non-ASCII letter'],
    ['a'.repeat(64), 'past 63 characters'],
  ])('rejects %j (%s) with a ConfigError naming the option', (name) => {
    const err = (() => {
      try {
        return sqlIdentifier(name, 'postgresStore schema');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/^postgresStore schema must be a letter or _/);
    expect((err as ConfigError).issues[0]?.path).toBe('postgresStore schema');
  });

  it('applies a shorter limit for prefixes that get suffixes', () => {
    expect(sqlIdentifier('a'.repeat(41), 'table', 41)).toBe(`"${'a'.repeat(41)}"`);
    expect(() => sqlIdentifier('a'.repeat(42), 'table', 41)).toThrow(/at most 41 characters/);
  });

  it('rejects what is not a string', () => {
    expect(() => sqlIdentifier(42 as unknown as string, 'schema')).toThrow(ConfigError);
  });
});
