import { parseOptions } from '@platform/core';
import { z } from 'zod';
import { type FlagKind, KINDS } from './model.js';

/** Expected lifetime per kind, in days (`null`: permanent). Past it, a flag is reported stale. */
export const KIND_LIFETIME_DAYS: Record<FlagKind, number | null> = {
  release: 40,
  experiment: 40,
  ops: 7,
  'kill-switch': null,
  permission: null,
};

interface Common {
  description?: string;
  owner?: string;
  tags?: readonly string[];
  kind?: FlagKind;
  /** Overrides the kind's expected lifetime (days); `null` for permanent. */
  lifetimeDays?: number | null;
  /** Date the flag was introduced (ISO), for the stale report when the store has none. */
  createdAt?: string;
}

type Variants<T> = Readonly<Record<string, T>>;

/** One flag as declared in code. `schema` (zod) narrows the value type and validates stored values. */
export type FlagDefinition =
  | (Common & { type: 'boolean'; default: boolean; schema?: undefined; variants?: undefined })
  | (Common & {
      type: 'string';
      default: string;
      schema?: z.ZodType<string>;
      variants?: Variants<string>;
    })
  | (Common & {
      type: 'number';
      default: number;
      schema?: z.ZodType<number>;
      variants?: Variants<number>;
    })
  | (Common & { type: 'json'; default: unknown; schema?: z.ZodType; variants?: Variants<unknown> });

export type FlagType = FlagDefinition['type'];

/** The value type a definition serves. */
export type ValueOf<D> = D extends { schema: z.ZodType<infer O> }
  ? O
  : D extends { type: 'boolean' }
    ? boolean
    : D extends { type: 'string' }
      ? string
      : D extends { type: 'number' }
        ? number
        : D extends { default: infer V }
          ? V
          : unknown;

export type DefinitionMap = Record<string, FlagDefinition>;

/** Keys and value types of `defineFlags(...)`'s result: `FlagValues<typeof defs>['newCheckout']`. */
export type FlagValues<T> =
  T extends FlagDefinitions<infer D>
    ? { [K in keyof D]: ValueOf<D[K]> }
    : T extends DefinitionMap
      ? { [K in keyof T]: ValueOf<T[K]> }
      : never;

/** A definition after validation, with the runtime validator for its values. */
export interface ResolvedDefinition {
  key: string;
  type: FlagType;
  default: unknown;
  variants: Record<string, unknown>;
  offVariant: string | undefined;
  kind: FlagKind | undefined;
  lifetimeDays: number | null;
  description?: string;
  owner?: string;
  tags?: readonly string[];
  createdAt?: string;
  validate: z.ZodType;
}

/** The typed result of `defineFlags`: carry it to `createFlags`. */
export interface FlagDefinitions<D extends DefinitionMap> {
  readonly definitions: D;
  readonly resolved: ReadonlyMap<string, ResolvedDefinition>;
}

const typeValidators: Record<FlagType, z.ZodType> = {
  boolean: z.boolean(),
  string: z.string(),
  number: z.number().finite(),
  json: z.json(),
};

const definitionSchema = z.strictObject({
  type: z.enum(['boolean', 'string', 'number', 'json']),
  default: z.unknown(),
  schema: z
    .custom<z.ZodType>((v) => v instanceof z.ZodType, 'schema must be a zod schema')
    .optional(),
  variants: z.record(z.string().min(1).max(200), z.unknown()).optional(),
  description: z.string().max(2000).optional(),
  owner: z.string().max(200).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  kind: z.enum(KINDS).optional(),
  lifetimeDays: z.number().int().positive().nullable().optional(),
  createdAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

const KEY = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Declares the flags of an app in one place. Keys and value types flow into
 * `createFlags(...)`: a wrong key or value type is a compile error, and stored values are
 * validated against each flag's type (and `schema`, when given) at snapshot build.
 *
 * @example
 * export const flags = defineFlags({
 *   newCheckout: { type: 'boolean', default: false, kind: 'release', owner: 'payments' },
 *   theme: { type: 'string', default: 'light', schema: z.enum(['light', 'dark']) },
 * });
 */
export function defineFlags<const D extends DefinitionMap>(definitions: D): FlagDefinitions<D> {
  const resolved = new Map<string, ResolvedDefinition>();
  for (const [key, input] of Object.entries(definitions)) {
    if (!KEY.test(key)) {
      parseOptions(z.never(), key, `flag definition "${key}": keys are 1-128 of A-Z a-z 0-9 . _ -`);
    }
    const def = parseOptions(definitionSchema, input, `flag definition "${key}"`);
    const base = typeValidators[def.type];
    const validate = def.schema ? base.pipe(def.schema) : base;
    const check = (value: unknown, field: string) =>
      parseOptions(z.object({ [field]: validate }), { [field]: value }, `flag definition "${key}"`);
    check(def.default, 'default');
    const variants: Record<string, unknown> =
      def.variants ?? (def.type === 'boolean' ? { on: true, off: false } : {});
    for (const [name, value] of Object.entries(variants)) check(value, `variants.${name}`);
    let offVariant: string | undefined = def.type === 'boolean' ? 'off' : undefined;
    if (def.type !== 'boolean') {
      offVariant = Object.keys(variants).find((n) => Object.is(variants[n], def.default));
      if (offVariant === undefined) {
        offVariant = 'default';
        variants.default = def.default;
      }
    }
    resolved.set(key, {
      key,
      type: def.type,
      default: def.default,
      variants,
      offVariant,
      kind: def.kind,
      lifetimeDays:
        def.lifetimeDays !== undefined
          ? def.lifetimeDays
          : def.kind
            ? KIND_LIFETIME_DAYS[def.kind]
            : null,
      description: def.description,
      owner: def.owner,
      tags: def.tags,
      createdAt: def.createdAt,
      validate,
    });
  }
  return { definitions, resolved };
}
