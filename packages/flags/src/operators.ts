import type { Condition, Operator } from './model.js';

/** Reads one context attribute. */
export type Read = (attribute: string) => unknown;
/** A compiled condition. */
export type Predicate = (read: Read) => boolean;
/** Segment membership, resolved at compile time. */
export type SegmentLookup = (key: string) => Predicate | undefined;

type Scalar = string | number | boolean;

/** `major.minor.patch[-pre][+build]`, compared per semver 2.0 precedence. */
export interface SemVer {
  nums: [number, number, number];
  pre: (string | number)[];
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseSemver(input: unknown): SemVer | undefined {
  if (typeof input !== 'string') return undefined;
  const m = SEMVER.exec(input.trim());
  if (!m) return undefined;
  const pre = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

export function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) if (a.nums[i] !== b.nums[i]) return a.nums[i]! < b.nums[i]! ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function toTime(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Thrown when a condition cannot be compiled (bad operand for its operator). */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

type Test = (actual: unknown) => boolean;

function ordered<T>(
  values: Scalar[],
  parse: (v: unknown) => T | undefined,
  cmp: (a: T, b: T) => number,
  ok: (c: number) => boolean,
  op: Operator,
): Test {
  const operands = values.map((v) => {
    const p = parse(v);
    if (p === undefined)
      throw new ConditionError(`${op}: ${JSON.stringify(v)} is not a valid operand`);
    return p;
  });
  return (actual) => {
    const a = parse(actual);
    if (a === undefined) return false;
    for (const b of operands) if (ok(cmp(a, b))) return true;
    return false;
  };
}

const numCmp = (a: number, b: number) => a - b;

function scalarTest(op: Operator, values: Scalar[]): Test {
  const strings = values.map(String);
  switch (op) {
    case 'eq':
    case 'in': {
      if (strings.length === 1) {
        const only = strings[0]!;
        return (a) =>
          typeof a === 'string' ? a === only : a !== undefined && a !== null && String(a) === only;
      }
      const set = new Set(strings);
      return (a) => a !== undefined && a !== null && set.has(String(a));
    }
    case 'starts_with':
      return (a) => typeof a === 'string' && strings.some((s) => a.startsWith(s));
    case 'ends_with':
      return (a) => typeof a === 'string' && strings.some((s) => a.endsWith(s));
    case 'contains':
      return (a) => typeof a === 'string' && strings.some((s) => a.includes(s));
    case 'gt':
      return ordered(values, toNumber, numCmp, (c) => c > 0, op);
    case 'gte':
      return ordered(values, toNumber, numCmp, (c) => c >= 0, op);
    case 'lt':
      return ordered(values, toNumber, numCmp, (c) => c < 0, op);
    case 'lte':
      return ordered(values, toNumber, numCmp, (c) => c <= 0, op);
    case 'before':
      return ordered(values, toTime, numCmp, (c) => c < 0, op);
    case 'after':
      return ordered(values, toTime, numCmp, (c) => c > 0, op);
    case 'semver_eq':
      return ordered(values, parseSemver, compareSemver, (c) => c === 0, op);
    case 'semver_gt':
      return ordered(values, parseSemver, compareSemver, (c) => c > 0, op);
    case 'semver_gte':
      return ordered(values, parseSemver, compareSemver, (c) => c >= 0, op);
    case 'semver_lt':
      return ordered(values, parseSemver, compareSemver, (c) => c < 0, op);
    case 'semver_lte':
      return ordered(values, parseSemver, compareSemver, (c) => c <= 0, op);
    default:
      throw new ConditionError(`unknown operator ${JSON.stringify(op)}`);
  }
}

/**
 * Compiles one condition into a predicate. Array attributes (such as `roles`) match when
 * any element matches; `neq` / `not_in` match when none does.
 */
export function compileCondition(c: Condition, segments: SegmentLookup): Predicate {
  const attribute = c.attribute ?? 'userId';
  const op = c.operator;
  if (op === 'in_segment' || op === 'not_in_segment') {
    const preds = c.values.map((v) => segments(String(v)) ?? (() => false));
    const any: Predicate = (read) => preds.some((p) => p(read));
    return op === 'in_segment' ? any : (read) => !any(read);
  }
  const negated = op === 'neq' || op === 'not_in';
  const test = scalarTest(negated ? (op === 'neq' ? 'eq' : 'in') : op, c.values);
  const matches: Predicate = (read) => {
    const actual = read(attribute);
    if (Array.isArray(actual)) return actual.some(test);
    return test(actual);
  };
  return negated ? (read) => !matches(read) : matches;
}

/** AND of conditions; an empty list always matches. */
export function compileConditions(list: Condition[], segments: SegmentLookup): Predicate {
  const preds = list.map((c) => compileCondition(c, segments));
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0]!;
  return (read) => {
    for (const p of preds) if (!p(read)) return false;
    return true;
  };
}
