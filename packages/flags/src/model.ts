import { z } from 'zod';

/** Attribute operators a targeting condition may use. */
export const OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'starts_with',
  'ends_with',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'before',
  'after',
  'semver_eq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
  'in_segment',
  'not_in_segment',
] as const;
export type Operator = (typeof OPERATORS)[number];

const id = z.string().min(1).max(200);
const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const conditionSchema = z.strictObject({
  /** Context attribute (`userId`, `tenantId`, `roles`, `environment` or any custom one). Ignored by segment operators. */
  attribute: z.string().min(1).max(100).default('userId'),
  operator: z.enum(OPERATORS, {
    error: (i) =>
      `unknown operator ${JSON.stringify(i.input)}; expected one of ${OPERATORS.join(', ')}`,
  }),
  values: z.array(scalar).max(10_000),
});
export type Condition = z.input<typeof conditionSchema>;

export const rolloutSchema = z
  .strictObject({
    /** Share (0..100) of buckets 1..100 that get `variant`; the others fall through. */
    percentage: z.number().int().min(0).max(100).optional(),
    /** Weighted variants (weights sum to 10000, buckets 1..10000). */
    variants: z
      .array(z.strictObject({ variant: id, weight: z.number().int().min(0).max(10_000) }))
      .min(1)
      .optional(),
    /** Context attribute hashed for stickiness (default: userId, then tenantId). */
    stickiness: z.string().min(1).max(100).optional(),
  })
  .refine((r) => (r.percentage === undefined) !== (r.variants === undefined), {
    message: 'a rollout has either percentage or variants',
  })
  .refine((r) => !r.variants || r.variants.reduce((s, v) => s + v.weight, 0) === 10_000, {
    message: 'variant weights must sum to 10000',
    path: ['variants'],
  });
export type Rollout = z.output<typeof rolloutSchema>;

export const serveSchema = z
  .strictObject({ variant: id.optional(), rollout: rolloutSchema.optional() })
  .refine((s) => s.variant !== undefined || s.rollout !== undefined, {
    message: 'serve needs a variant or a rollout',
  });
export type Serve = z.output<typeof serveSchema>;

export const ruleSchema = z.strictObject({
  id,
  description: z.string().max(500).optional(),
  conditions: z.array(conditionSchema).max(100),
  serve: serveSchema,
});
export type Rule = z.input<typeof ruleSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A record keyed by user input (tenant ids, variant names, environments): any string is a
 * key, `__proto__` and `constructor` included, so the parsed record has no prototype
 * (z.record drops `__proto__`, and a plain object answers `toString` with a function).
 */
export function dictOf<T extends z.ZodType>(value: T) {
  return z
    .custom<Record<string, z.input<T>>>(isRecord, 'expected an object')
    .transform((input, ctx) => {
      const out = Object.create(null) as Record<string, z.output<T>>;
      for (const k of Object.keys(input)) {
        const r = value.safeParse(input[k]);
        if (r.success) out[k] = r.data;
        else for (const i of r.error.issues) ctx.addIssue({ ...i, path: [k, ...i.path] } as never);
      }
      return out;
    });
}

/** `record[key]` for own keys only: never an inherited `constructor` or `toString`. */
export function own<T>(
  record: Readonly<Record<string, T>> | undefined,
  key: string,
): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

const layer = {
  enabled: z.boolean().optional(),
  serve: serveSchema.optional(),
  rules: z.array(ruleSchema).max(500).optional(),
};
export const tenantOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  serve: serveSchema.optional(),
});
export type TenantOverride = z.output<typeof tenantOverrideSchema>;

export const environmentLayerSchema = z.strictObject({
  ...layer,
  tenants: dictOf(tenantOverrideSchema).optional(),
});
export type EnvironmentLayer = z.output<typeof environmentLayerSchema>;

export const KINDS = ['release', 'experiment', 'ops', 'kill-switch', 'permission'] as const;
export type FlagKind = (typeof KINDS)[number];

/** The stored, mutable state of one flag: what admins change at runtime. */
export const flagStateSchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'flag keys are 1-128 of A-Z a-z 0-9 . _ -'),
  /** Kill switch: false serves the off variant everywhere. */
  enabled: z.boolean().default(true),
  /** Optimistic-concurrency version, bumped by the store on every write. */
  version: z.number().int().min(0).default(0),
  variants: dictOf(z.unknown()).optional(),
  offVariant: id.optional(),
  /** Fallthrough: served when no target, override or rule applies. */
  serve: serveSchema.optional(),
  rules: z.array(ruleSchema).max(500).default([]),
  /** User targets: explicit user ids per variant (the highest override level). */
  targets: z
    .array(z.strictObject({ variant: id, users: z.array(z.string()).max(10_000) }))
    .default([]),
  /** Tenant overrides, keyed by tenant id. */
  tenants: dictOf(tenantOverrideSchema).default({}),
  prerequisites: z.array(z.strictObject({ flag: id, variants: z.array(id).min(1) })).default([]),
  environments: dictOf(environmentLayerSchema).default({}),
  description: z.string().max(2000).optional(),
  owner: z.string().max(200).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  kind: z.enum(KINDS).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
/** A flag as written (defaults optional). */
export type FlagStateInput = z.input<typeof flagStateSchema>;
/** A flag as stored and read back. */
export type FlagState = z.output<typeof flagStateSchema>;

export const segmentSchema = z.strictObject({
  key: id,
  /** User or tenant ids that are always members. */
  included: z.array(z.string()).max(100_000).default([]),
  /** Members also match all these conditions (AND); empty means ids only. */
  conditions: z.array(conditionSchema).max(100).default([]),
  description: z.string().max(2000).optional(),
});
export type SegmentInput = z.input<typeof segmentSchema>;
export type Segment = z.output<typeof segmentSchema>;

/** What a store hands the client: every flag and segment at one moment. */
export interface StoreSnapshot {
  flags: FlagState[];
  segments: Segment[];
  /**
   * Stored flags (or `segment:<key>` segments) that failed validation, each with a message
   * naming the field: the client serves their fallback and keeps every other flag.
   */
  invalid?: { key: string; message: string }[];
}

/** The message of a failed parse, naming the key and the first bad field. */
export function issueAt(key: string, error: z.ZodError): string {
  const i = error.issues[0];
  const path = i?.path.map(String).join('.');
  return `${key}${path ? `.${path}` : ''}: ${i?.message ?? 'invalid'}`;
}

/** OpenFeature-compatible resolution reasons. */
export type Reason =
  | 'STATIC'
  | 'DEFAULT'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DISABLED'
  | 'ERROR'
  | 'STALE';

/** OpenFeature-compatible error codes. */
export type ErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'PROVIDER_NOT_READY'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

export interface Evaluation<T = unknown> {
  value: T;
  variant?: string;
  reason: Reason;
  /** Which rule, target or override decided (`rule:<id>`, `user`, `tenant:<id>`, `prerequisite:<flag>`). */
  ruleId?: string;
  errorCode?: ErrorCode;
  errorMessage?: string;
}

/** Attributes an evaluation sees. Request context fills userId, tenantId and roles. */
export interface EvaluationContext {
  userId?: string;
  tenantId?: string;
  roles?: readonly string[];
  environment?: string;
  [attribute: string]: unknown;
}
