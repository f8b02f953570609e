import { getContext, runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSnapshot } from './compile.js';
import { defineFlags } from './define.js';
import { evaluateFlag, reader } from './evaluate.js';
import { percentBucket } from './hash.js';
import { type FlagStateInput, flagStateSchema, type SegmentInput, segmentSchema } from './model.js';

const defs = defineFlags({
  beta: { type: 'boolean', default: false, kind: 'release' },
  theme: {
    type: 'string',
    default: 'light',
    variants: { light: 'light', dark: 'dark', blue: 'blue' },
  },
  limit: { type: 'number', default: 10, variants: { small: 10, big: 100 } },
  base: { type: 'boolean', default: false },
});

function snap(flags: FlagStateInput[], segments: SegmentInput[] = [], env = 'production') {
  return compileSnapshot(
    {
      flags: flags.map((f) => flagStateSchema.parse(f)),
      segments: segments.map((s) => segmentSchema.parse(s)),
    },
    defs.resolved,
    env,
  );
}
const ev = (s: ReturnType<typeof snap>, key: string, ctx: Record<string, unknown> = {}) =>
  evaluateFlag(s.snapshot, key, reader(ctx, undefined, 'production'));

const layered: FlagStateInput = {
  key: 'beta',
  serve: { variant: 'off' },
  rules: [
    {
      id: 'admins',
      conditions: [{ attribute: 'roles', operator: 'in', values: ['admin'] }],
      serve: { variant: 'on' },
    },
  ],
  tenants: { acme: { serve: { variant: 'on' } }, evil: { enabled: false } },
  targets: [
    { variant: 'off', users: ['vip-off'] },
    { variant: 'on', users: ['vip-on'] },
  ],
  environments: {
    production: {
      rules: [
        {
          id: 'prod-internal',
          conditions: [{ attribute: 'email', operator: 'ends_with', values: ['@corp.com'] }],
          serve: { variant: 'on' },
        },
      ],
    },
  },
};

describe('override precedence: global → environment → tenant → user', () => {
  const s = snap([layered]);
  it.each([
    ['no match: fallthrough', {}, false, 'DEFAULT', undefined],
    [
      'environment rule replaces the global rules',
      { roles: ['admin'] },
      false,
      'DEFAULT',
      undefined,
    ],
    ['environment rule matches', { email: 'a@corp.com' }, true, 'TARGETING_MATCH', 'prod-internal'],
    ['tenant override beats rules', { tenantId: 'acme' }, true, 'TARGETING_MATCH', 'tenant:acme'],
    [
      'tenant disabled',
      { tenantId: 'evil', email: 'a@corp.com' },
      false,
      'DISABLED',
      'tenant:evil',
    ],
    [
      'user target beats tenant',
      { tenantId: 'acme', userId: 'vip-off' },
      false,
      'TARGETING_MATCH',
      'user',
    ],
    ['user target on', { userId: 'vip-on', tenantId: 'evil' }, true, 'TARGETING_MATCH', 'user'],
  ])('%s', (_name, ctx, value, reason, ruleId) => {
    const r = ev(s, 'beta', ctx);
    expect(r).toMatchObject({ value, reason });
    expect(r.ruleId).toBe(ruleId);
  });

  it('uses global rules in environments without their own', () => {
    const staging = snap([layered], [], 'staging');
    expect(
      evaluateFlag(staging.snapshot, 'beta', reader({ roles: ['admin'] }, undefined, 'staging')),
    ).toMatchObject({ value: true, ruleId: 'admins' });
  });

  it('kill switch wins over every override level', () => {
    const k = snap([{ ...layered, enabled: false }]);
    for (const ctx of [{ userId: 'vip-on' }, { tenantId: 'acme' }, { email: 'x@corp.com' }]) {
      expect(ev(k, 'beta', ctx)).toMatchObject({
        value: false,
        variant: 'off',
        reason: 'DISABLED',
      });
    }
    const envKill = snap([{ ...layered, environments: { production: { enabled: false } } }]);
    expect(ev(envKill, 'beta', { userId: 'vip-on' }).reason).toBe('DISABLED');
  });
});

describe('operators', () => {
  const rule = (attribute: string, operator: string, values: (string | number | boolean)[]) =>
    snap([
      {
        key: 'beta',
        serve: { variant: 'off' },
        rules: [
          {
            id: 'r',
            conditions: [{ attribute, operator: operator as never, values }],
            serve: { variant: 'on' },
          },
        ],
      },
    ]);
  it.each([
    ['eq', 'plan', ['pro'], { plan: 'pro' }, { plan: 'free' }],
    ['neq', 'plan', ['pro'], { plan: 'free' }, { plan: 'pro' }],
    ['in', 'country', ['FR', 'DE'], { country: 'DE' }, { country: 'US' }],
    ['not_in', 'country', ['FR', 'DE'], { country: 'US' }, { country: 'FR' }],
    ['starts_with', 'email', ['admin@'], { email: 'admin@x.io' }, { email: 'bob@x.io' }],
    ['ends_with', 'email', ['@corp.com'], { email: 'a@corp.com' }, { email: 'a@corp.com.evil' }],
    ['contains', 'ua', ['Mobile'], { ua: 'Safari Mobile/1' }, { ua: 'Desktop' }],
    ['gt', 'age', [18], { age: 19 }, { age: 18 }],
    ['gte', 'age', [18], { age: 18 }, { age: 17 }],
    ['lt', 'age', [18], { age: '17' }, { age: 18 }],
    ['lte', 'age', [18], { age: 18 }, { age: 'x' }],
    [
      'before',
      'signup',
      ['2025-01-01T00:00:00Z'],
      { signup: '2024-06-01' },
      { signup: '2025-06-01' },
    ],
    [
      'after',
      'now',
      ['2025-01-01T00:00:00Z'],
      { now: Date.parse('2025-02-01') },
      { now: 'not a date' },
    ],
    ['semver_eq', 'version', ['1.2.3'], { version: 'v1.2.3' }, { version: '1.2.4' }],
    ['semver_gt', 'version', ['1.2.3'], { version: '1.10.0' }, { version: '1.2.3-rc.1' }],
    [
      'semver_gte',
      'version',
      ['2.0.0-beta.2'],
      { version: '2.0.0-beta.11' },
      { version: '2.0.0-beta.1' },
    ],
    ['semver_lt', 'version', ['2.0.0'], { version: '2.0.0-rc.1' }, { version: '2.0.0' }],
    ['semver_lte', 'version', ['2.0.0'], { version: '2.0.0+build.5' }, { version: '2.0.1' }],
    [
      'in (array attribute: any element)',
      'roles',
      ['admin'],
      { roles: ['user', 'admin'] },
      { roles: ['user'] },
    ],
  ])('%s', (op, attribute, values, yes, no) => {
    const s = rule(attribute, op.split(' ')[0]!, values);
    expect(ev(s, 'beta', yes).value, JSON.stringify(yes)).toBe(true);
    expect(ev(s, 'beta', no).value, JSON.stringify(no)).toBe(false);
  });

  it('segment membership: included ids or matching conditions', () => {
    const s = snap(
      [
        {
          key: 'beta',
          serve: { variant: 'off' },
          rules: [
            {
              id: 'seg',
              conditions: [{ operator: 'in_segment', values: ['testers'] }],
              serve: { variant: 'on' },
            },
          ],
        },
      ],
      [
        {
          key: 'testers',
          included: ['u1', 'tenant-t'],
          conditions: [{ attribute: 'plan', operator: 'eq', values: ['beta'] }],
        },
      ],
    );
    expect(ev(s, 'beta', { userId: 'u1' }).value).toBe(true);
    expect(ev(s, 'beta', { tenantId: 'tenant-t' }).value).toBe(true);
    expect(ev(s, 'beta', { plan: 'beta' }).value).toBe(true);
    expect(ev(s, 'beta', { userId: 'u2' }).value).toBe(false);
  });

  it('first matching rule wins and conditions are ANDed', () => {
    const s = snap([
      {
        key: 'theme',
        serve: { variant: 'light' },
        rules: [
          {
            id: 'both',
            conditions: [
              { attribute: 'a', operator: 'eq', values: [1] },
              { attribute: 'b', operator: 'eq', values: [2] },
            ],
            serve: { variant: 'dark' },
          },
          {
            id: 'a-only',
            conditions: [{ attribute: 'a', operator: 'eq', values: [1] }],
            serve: { variant: 'blue' },
          },
        ],
      },
    ]);
    expect(ev(s, 'theme', { a: 1, b: 2 })).toMatchObject({ value: 'dark', ruleId: 'both' });
    expect(ev(s, 'theme', { a: 1 })).toMatchObject({ value: 'blue', ruleId: 'a-only' });
  });
});

describe('rollouts', () => {
  it('percentage rollout admits exactly the buckets ≤ p, sticky per user', () => {
    const s = snap([{ key: 'beta', serve: { variant: 'on', rollout: { percentage: 30 } } }]);
    let on = 0;
    for (let i = 0; i < 100_000; i++) {
      const id = `u${i}`;
      const r = ev(s, 'beta', { userId: id });
      expect(r.reason).toBe('SPLIT');
      if (r.value) on++;
      if (i < 2000) expect(r.value).toBe(percentBucket('beta', id) <= 30);
    }
    // binomial(100k, 0.3): sd ≈ 145; 5 sd
    expect(Math.abs(on - 30_000)).toBeLessThan(725);
  });

  it('weighted variants split within statistical bounds and fall back to the tenant for stickiness', () => {
    const s = snap([
      {
        key: 'theme',
        serve: {
          rollout: {
            variants: [
              { variant: 'light', weight: 5000 },
              { variant: 'dark', weight: 3000 },
              { variant: 'blue', weight: 2000 },
            ],
          },
        },
      },
    ]);
    const counts: Record<string, number> = { light: 0, dark: 0, blue: 0 };
    for (let i = 0; i < 100_000; i++) counts[ev(s, 'theme', { userId: `id-${i}` }).variant!]!++;
    expect(Math.abs(counts.light! - 50_000)).toBeLessThan(800);
    expect(Math.abs(counts.dark! - 30_000)).toBeLessThan(730);
    expect(Math.abs(counts.blue! - 20_000)).toBeLessThan(640);
    expect(ev(s, 'theme', { tenantId: 'acme' })).toEqual(ev(s, 'theme', { tenantId: 'acme' }));
  });

  it('a rule with a percentage falls through for contexts outside it; stickiness is configurable', () => {
    const s = snap([
      {
        key: 'beta',
        serve: { variant: 'off' },
        rules: [
          {
            id: 'pro-half',
            conditions: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
            serve: { variant: 'on', rollout: { percentage: 50, stickiness: 'accountId' } },
          },
        ],
      },
    ]);
    const results = Array.from({ length: 200 }, (_, i) =>
      ev(s, 'beta', { plan: 'pro', accountId: `acc${i}` }),
    );
    expect(
      results.some((r) => r.value === true && r.reason === 'SPLIT' && r.ruleId === 'pro-half'),
    ).toBe(true);
    expect(results.some((r) => r.value === false && r.reason === 'DEFAULT')).toBe(true);
    expect(ev(s, 'beta', { plan: 'pro' }).value).toBe(false); // no stickiness value: not in the rollout
  });
});

describe('prerequisites, defaults and errors', () => {
  it('serves the off variant when a prerequisite is not met', () => {
    const s = snap([
      { key: 'base', serve: { variant: 'off' }, tenants: { acme: { serve: { variant: 'on' } } } },
      {
        key: 'beta',
        serve: { variant: 'on' },
        prerequisites: [{ flag: 'base', variants: ['on'] }],
      },
    ]);
    expect(ev(s, 'beta', {})).toMatchObject({
      value: false,
      reason: 'DISABLED',
      ruleId: 'prerequisite:base',
    });
    expect(ev(s, 'beta', { tenantId: 'acme' })).toMatchObject({ value: true, reason: 'DEFAULT' });
  });

  it('guards against prerequisite cycles', () => {
    const s = snap([
      {
        key: 'base',
        serve: { variant: 'on' },
        prerequisites: [{ flag: 'beta', variants: ['on'] }],
      },
      {
        key: 'beta',
        serve: { variant: 'on' },
        prerequisites: [{ flag: 'base', variants: ['on'] }],
      },
    ]);
    expect(ev(s, 'beta').value).toBe(false);
  });

  it('code defaults for flags the store lacks; FLAG_NOT_FOUND for unknown keys', () => {
    const s = snap([]);
    expect(ev(s, 'limit')).toEqual({ value: 10, variant: 'small', reason: 'DEFAULT' });
    expect(ev(s, 'nope')).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('a stored value of the wrong type is TYPE_MISMATCH, served as the code default', () => {
    const s = snap([{ key: 'limit', variants: { small: 'ten' }, serve: { variant: 'small' } }]);
    expect(s.problems[0]).toMatchObject({ key: 'limit', code: 'TYPE_MISMATCH' });
    expect(s.problems[0]!.message).toContain('limit.variants.small');
    expect(ev(s, 'limit')).toMatchObject({
      value: 10,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('keeps the previous compiled flag when a new version fails to compile', () => {
    const good = snap([{ key: 'theme', serve: { variant: 'dark' } }]);
    const bad = compileSnapshot(
      {
        flags: [flagStateSchema.parse({ key: 'theme', serve: { variant: 'purple' } })],
        segments: [],
      },
      defs.resolved,
      'production',
      good.snapshot,
    );
    expect(bad.problems[0]!.message).toContain('theme.serve.variant: unknown variant "purple"');
    expect(evaluateFlag(bad.snapshot, 'theme', reader({}, undefined, undefined)).value).toBe(
      'dark',
    );
  });

  it('schema-validated values: a zod schema narrows what stores may hold', () => {
    const strict = defineFlags({
      mode: { type: 'string', default: 'a', schema: z.enum(['a', 'b']) },
    });
    const s = compileSnapshot(
      {
        flags: [
          flagStateSchema.parse({
            key: 'mode',
            variants: { a: 'a', c: 'c' },
            serve: { variant: 'c' },
          }),
        ],
        segments: [],
      },
      strict.resolved,
      undefined,
    );
    expect(s.problems[0]?.code).toBe('TYPE_MISMATCH');
  });

  it('reads userId, tenantId and roles from core request context under the caller context', () => {
    const s = snap([layered]);
    const ctx = {
      requestId: 'r',
      method: 'GET',
      path: '/',
      startTime: 0,
      tenantId: 'acme',
      actor: { type: 'user' as const, id: 'vip-off', roles: [] },
    };
    runWithContext(ctx, () => {
      expect(
        evaluateFlag(s.snapshot, 'beta', reader(undefined, getContext(), 'production')).ruleId,
      ).toBe('user');
      expect(
        evaluateFlag(s.snapshot, 'beta', reader({ userId: 'someone' }, getContext(), 'production'))
          .ruleId,
      ).toBe('tenant:acme');
    });
  });
});
