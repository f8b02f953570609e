import { ConfigError } from '@platform/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createFlags } from './client.js';
import { defineFlags, type FlagValues } from './define.js';
import { memoryStore } from './stores/memory.js';

const defs = defineFlags({
  newCheckout: { type: 'boolean', default: false, kind: 'release' },
  theme: { type: 'string', default: 'light', schema: z.enum(['light', 'dark']) },
  maxItems: { type: 'number', default: 10 },
  banner: {
    type: 'json',
    default: { text: 'hi', color: 'red' },
    schema: z.object({ text: z.string(), color: z.string() }),
  },
});

describe('defineFlags: types follow the definitions', () => {
  it('derives keys and value types (checked by `tsc` through @ts-expect-error)', async () => {
    const flags = createFlags({
      definitions: defs,
      store: memoryStore(),
      flushOnShutdown: false,
      analytics: false,
    });
    await flags.ready();
    expectTypeOf(flags.value('theme')).toEqualTypeOf<'light' | 'dark'>();
    expectTypeOf(flags.value('maxItems')).toEqualTypeOf<number>();
    expectTypeOf(flags.value('banner')).toEqualTypeOf<{ text: string; color: string }>();
    expectTypeOf(flags.isEnabled('newCheckout')).toEqualTypeOf<boolean>();
    expectTypeOf<FlagValues<typeof defs>['newCheckout']>().toEqualTypeOf<boolean>();
    // @ts-expect-error: unknown key
    flags.value('newChekout');
    // @ts-expect-error: isEnabled is for boolean flags only
    flags.isEnabled('theme');
    // @ts-expect-error: the value is a number, not a string
    const wrong: string = flags.value('maxItems');
    expect(wrong).toBe(10);
    expect(flags.value('theme')).toBe('light');
    await flags.close();
  });

  it('rejects a default of the wrong type at compile time and at runtime', () => {
    // @ts-expect-error: boolean flag with a string default
    expect(() => defineFlags({ bad: { type: 'boolean', default: 'yes' } })).toThrow(ConfigError);
    // @ts-expect-error: number flag with a string default
    expect(() => defineFlags({ bad: { type: 'number', default: '1' } })).toThrow(
      /flag definition "bad"[\s\S]*default/,
    );
  });
});

describe('defineFlags: runtime validation names the field', () => {
  it.each([
    [{ x: { type: 'string', default: 'z', schema: z.enum(['a']) } }, /"x"[\s\S]*default/],
    [{ x: { type: 'number', default: 1, variants: { a: 1, b: 'two' } } }, /"x"[\s\S]*variants\.b/],
    [{ x: { type: 'boolean', default: true, kind: 'forever' } }, /"x"[\s\S]*kind/],
    [{ x: { type: 'date', default: 1 } }, /"x"[\s\S]*type/],
    [{ 'bad key!': { type: 'boolean', default: true } }, /bad key!/],
  ])('%o', (input, message) => {
    expect(() => defineFlags(input as never)).toThrow(message);
  });

  it('derives variants, off variant and lifetime from the kind', () => {
    const d = defineFlags({
      a: { type: 'boolean', default: true, kind: 'ops' },
      b: { type: 'string', default: 'x', variants: { one: 'x', two: 'y' }, kind: 'kill-switch' },
      c: { type: 'number', default: 3 },
    });
    expect(d.resolved.get('a')).toMatchObject({
      variants: { on: true, off: false },
      offVariant: 'off',
      lifetimeDays: 7,
    });
    expect(d.resolved.get('b')).toMatchObject({ offVariant: 'one', lifetimeDays: null });
    expect(d.resolved.get('c')).toMatchObject({ variants: { default: 3 }, offVariant: 'default' });
  });
});

describe('stores reject invalid flags with the field named', () => {
  it('memory store seeds', () => {
    expect(() =>
      memoryStore({
        flags: [
          {
            key: 'x',
            rules: [
              {
                id: 'r',
                conditions: [{ attribute: 'a', operator: 'matches' as never, values: [] }],
                serve: { variant: 'on' },
              },
            ],
          },
        ],
      }),
    ).toThrow(
      /memoryStore flag "x"[\s\S]*rules\.0\.conditions\.0\.operator: unknown operator "matches"/,
    );
    expect(() =>
      memoryStore({
        flags: [
          {
            key: 'x',
            serve: { rollout: { percentage: 50, variants: [{ variant: 'a', weight: 10_000 }] } },
          },
        ],
      }),
    ).toThrow(/serve\.rollout[\s\S]*either percentage or variants/);
  });
});
