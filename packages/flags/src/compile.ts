import type { ResolvedDefinition } from './define.js';
import {
  type ErrorCode,
  type FlagState,
  own,
  type Segment,
  type Serve,
  type StoreSnapshot,
} from './model.js';
import { compileConditions, type Predicate } from './operators.js';
import type { CompiledServe } from './serve.js';
import { compileServe, FlagCompileError } from './serve.js';

export { type CompiledServe, FlagCompileError } from './serve.js';

export interface CompiledRule {
  id: string;
  match: Predicate;
  serve: CompiledServe;
}

export interface CompiledOverride {
  enabled: boolean;
  serve: CompiledServe | undefined;
}

/** One flag, merged for the environment and precompiled for evaluation. */
export interface CompiledFlag {
  key: string;
  definition: ResolvedDefinition | undefined;
  state: FlagState | undefined;
  variants: Record<string, unknown>;
  offVariant: string | undefined;
  enabled: boolean;
  targets: Map<string, string>;
  tenants: Map<string, CompiledOverride>;
  prerequisites: { flag: string; variants: Set<string> }[];
  rules: CompiledRule[];
  fallthrough: CompiledServe | undefined;
  /** No targeting at all: every context gets the same answer. */
  isStatic: boolean;
  error?: { code: ErrorCode; message: string };
}

/** An immutable, precompiled snapshot: what evaluation reads. */
export interface CompiledSnapshot {
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  readonly segments: readonly Segment[];
  readonly source: StoreSnapshot;
}

/** Compiles one stored flag for `environment`; throws FlagCompileError naming the field. */
export function compileFlag(
  state: FlagState,
  definition: ResolvedDefinition | undefined,
  environment: string | undefined,
  segment: (key: string) => Predicate | undefined,
): CompiledFlag {
  const key = state.key;
  const variants = state.variants ?? definition?.variants;
  if (!variants || Object.keys(variants).length === 0) {
    throw new FlagCompileError(
      'PARSE_ERROR',
      `${key}.variants: a flag not defined in code needs variants`,
    );
  }
  if (definition) {
    for (const [name, value] of Object.entries(variants)) {
      const r = definition.validate.safeParse(value);
      if (!r.success) {
        throw new FlagCompileError(
          'TYPE_MISMATCH',
          `${key}.variants.${name}: ${r.error.issues[0]?.message ?? 'invalid'} (flag type ${definition.type})`,
        );
      }
    }
  }
  const isBoolean = definition?.type === 'boolean';
  const offVariant = state.offVariant ?? definition?.offVariant;
  if (
    offVariant !== undefined &&
    !Object.hasOwn(variants, offVariant) &&
    state.offVariant !== undefined
  ) {
    throw new FlagCompileError('PARSE_ERROR', `${key}.offVariant: unknown variant "${offVariant}"`);
  }
  const env = environment ? own(state.environments, environment) : undefined;
  const envWhere = `${key}.environments.${environment}`;
  const serve = (s: Serve, where: string) => compileServe(key, s, variants, isBoolean, where);

  const rulesSource = env?.rules ?? state.rules;
  const rulesWhere = env?.rules ? `${envWhere}.rules` : `${key}.rules`;
  const rules = rulesSource.map((rule, i) => {
    const where = `${rulesWhere}.${i}`;
    try {
      return {
        id: rule.id,
        match: compileConditions(rule.conditions, segment),
        serve: serve(rule.serve as Serve, `${where}.serve`),
      };
    } catch (err) {
      if (err instanceof FlagCompileError) throw err;
      throw new FlagCompileError('PARSE_ERROR', `${where}.conditions: ${(err as Error).message}`);
    }
  });
  const tenants = new Map<string, CompiledOverride>();
  const tenantLayers: [Record<string, FlagState['tenants'][string]>, string][] = [
    [state.tenants, `${key}.tenants`],
    [env?.tenants ?? {}, `${envWhere}.tenants`],
  ];
  for (const [layer, where] of tenantLayers) {
    for (const [tenant, o] of Object.entries(layer)) {
      tenants.set(tenant, {
        enabled: o.enabled !== false,
        serve: o.serve ? serve(o.serve, `${where}.${tenant}.serve`) : undefined,
      });
    }
  }
  const targets = new Map<string, string>();
  for (const [i, t] of state.targets.entries()) {
    if (!Object.hasOwn(variants, t.variant)) {
      throw new FlagCompileError(
        'PARSE_ERROR',
        `${key}.targets.${i}.variant: unknown variant "${t.variant}"`,
      );
    }
    for (const user of t.users) targets.set(user, t.variant);
  }
  const fallSource = env?.serve ?? state.serve;
  const fallthrough = fallSource
    ? serve(fallSource, env?.serve ? `${envWhere}.serve` : `${key}.serve`)
    : undefined;
  return {
    key,
    definition,
    state,
    variants,
    offVariant,
    enabled: state.enabled && env?.enabled !== false,
    targets,
    tenants,
    prerequisites: state.prerequisites.map((p) => ({
      flag: p.flag,
      variants: new Set(p.variants),
    })),
    rules,
    fallthrough,
    isStatic:
      rules.length === 0 &&
      tenants.size === 0 &&
      targets.size === 0 &&
      state.prerequisites.length === 0 &&
      !fallSource?.rollout,
  };
}

/** A code-defined flag the store does not hold: serves its default. */
function codeOnly(definition: ResolvedDefinition): CompiledFlag {
  return {
    key: definition.key,
    definition,
    state: undefined,
    variants: definition.variants,
    offVariant: definition.offVariant,
    enabled: true,
    targets: new Map(),
    tenants: new Map(),
    prerequisites: [],
    rules: [],
    fallthrough: undefined,
    isStatic: true,
  };
}

export interface CompileProblem {
  key: string;
  code: ErrorCode;
  message: string;
}

/**
 * Builds the immutable snapshot evaluation reads. A flag that fails to compile keeps its
 * previous compiled form (when `previous` has one) or serves its code default with
 * reason ERROR; every failure is returned in `problems`.
 */
export function compileSnapshot(
  source: StoreSnapshot,
  definitions: ReadonlyMap<string, ResolvedDefinition>,
  environment: string | undefined,
  previous?: CompiledSnapshot,
): { snapshot: CompiledSnapshot; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const noSegments = () => undefined;
  const segmentPreds = new Map<string, Predicate>();
  for (const s of source.segments) {
    let conditions: Predicate | undefined;
    try {
      conditions =
        s.conditions.length > 0 ? compileConditions(s.conditions, noSegments) : undefined;
    } catch (err) {
      problems.push({
        key: `segment:${s.key}`,
        code: 'PARSE_ERROR',
        message: (err as Error).message,
      });
    }
    const ids = new Set(s.included);
    segmentPreds.set(s.key, (read) => {
      const u = read('userId');
      const t = read('tenantId');
      if ((typeof u === 'string' && ids.has(u)) || (typeof t === 'string' && ids.has(t)))
        return true;
      return conditions ? conditions(read) : false;
    });
  }
  const segment = (k: string) => segmentPreds.get(k);
  const flags = new Map<string, CompiledFlag>();
  // One bad flag costs only that flag: its previous compiled form, else its code default.
  const fallBack = (key: string, code: ErrorCode, message: string) => {
    problems.push({ key, code, message });
    const kept = previous?.flags.get(key);
    const definition = definitions.get(key);
    if (kept && !kept.error) flags.set(key, kept);
    else if (definition) flags.set(key, { ...codeOnly(definition), error: { code, message } });
  };
  for (const state of source.flags) {
    try {
      flags.set(state.key, compileFlag(state, definitions.get(state.key), environment, segment));
    } catch (err) {
      fallBack(
        state.key,
        err instanceof FlagCompileError ? err.code : 'GENERAL',
        (err as Error).message,
      );
    }
  }
  for (const bad of source.invalid ?? []) {
    if (bad.key.startsWith('segment:')) problems.push({ ...bad, code: 'PARSE_ERROR' });
    else fallBack(bad.key, 'PARSE_ERROR', bad.message);
  }
  for (const def of definitions.values())
    if (!flags.has(def.key)) flags.set(def.key, codeOnly(def));
  return { snapshot: Object.freeze({ flags, segments: source.segments, source }), problems };
}
