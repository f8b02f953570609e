import type { RequestContext } from '@platform/core';
import type { CompiledFlag, CompiledSnapshot } from './compile.js';
import type { ErrorCode, Evaluation, EvaluationContext, Reason } from './model.js';
import type { Read } from './operators.js';

const MAX_PREREQUISITE_DEPTH = 10;

/**
 * A reader over the caller's context first, then the request context (user id, tenant,
 * roles), then the configured environment.
 */
export function reader(
  ctx: EvaluationContext | undefined,
  request: RequestContext | undefined,
  environment: string | undefined,
): Read {
  return (attribute) => {
    if (ctx !== undefined) {
      const v = ctx[attribute];
      if (v !== undefined) return v;
    }
    switch (attribute) {
      case 'userId':
        return request?.actor?.id;
      case 'tenantId':
        return request?.tenantId;
      case 'roles':
        return request?.actor?.roles;
      case 'environment':
        return environment;
      default:
        return undefined;
    }
  };
}

function codeDefault(
  flag: CompiledFlag | undefined,
  reason: Reason,
  errorCode?: ErrorCode,
  errorMessage?: string,
): Evaluation {
  const def = flag?.definition;
  const out: Evaluation = { value: def?.default, reason };
  if (def) {
    const variant = Object.keys(def.variants).find((n) => Object.is(def.variants[n], def.default));
    if (variant) out.variant = variant;
  }
  if (errorCode) out.errorCode = errorCode;
  if (errorMessage) out.errorMessage = errorMessage;
  return out;
}

function served(flag: CompiledFlag, variant: string, reason: Reason, ruleId?: string): Evaluation {
  const out: Evaluation = { value: flag.variants[variant], variant, reason };
  if (ruleId !== undefined) out.ruleId = ruleId;
  return out;
}

function off(flag: CompiledFlag, ruleId?: string): Evaluation {
  if (flag.offVariant !== undefined && flag.offVariant in flag.variants) {
    return served(flag, flag.offVariant, 'DISABLED', ruleId);
  }
  const out = codeDefault(flag, 'DISABLED');
  if (ruleId !== undefined) out.ruleId = ruleId;
  return out;
}

/**
 * Evaluates one flag: kill switch, prerequisites, then override levels from the most
 * specific down (user targets → tenant override → environment/global rules, first match
 * wins → fallthrough). Never throws.
 */
export function evaluateFlag(
  snapshot: CompiledSnapshot,
  key: string,
  read: Read,
  depth = 0,
): Evaluation {
  const flag = snapshot.flags.get(key);
  if (flag === undefined) {
    return {
      value: undefined,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: `flag "${key}" is not defined`,
    };
  }
  if (flag.error) return codeDefault(flag, 'ERROR', flag.error.code, flag.error.message);
  if (flag.state === undefined) return codeDefault(flag, 'DEFAULT');
  if (!flag.enabled) return off(flag);
  try {
    for (const p of flag.prerequisites) {
      if (depth >= MAX_PREREQUISITE_DEPTH) {
        return codeDefault(
          flag,
          'ERROR',
          'GENERAL',
          `prerequisites of "${key}" nest too deep (cycle?)`,
        );
      }
      const r = evaluateFlag(snapshot, p.flag, read, depth + 1);
      if (r.variant === undefined || !p.variants.has(r.variant) || r.reason === 'ERROR') {
        return off(flag, `prerequisite:${p.flag}`);
      }
    }
    if (flag.targets.size > 0) {
      const user = read('userId');
      if (typeof user === 'string') {
        const v = flag.targets.get(user);
        if (v !== undefined) return served(flag, v, 'TARGETING_MATCH', 'user');
      }
    }
    if (flag.tenants.size > 0) {
      const tenant = read('tenantId');
      const o = typeof tenant === 'string' ? flag.tenants.get(tenant) : undefined;
      if (o !== undefined) {
        if (!o.enabled) return off(flag, `tenant:${tenant}`);
        const s = o.serve?.(read);
        if (s)
          return served(flag, s.variant, s.split ? 'SPLIT' : 'TARGETING_MATCH', `tenant:${tenant}`);
      }
    }
    for (const rule of flag.rules) {
      if (!rule.match(read)) continue;
      const s = rule.serve(read);
      if (s) return served(flag, s.variant, s.split ? 'SPLIT' : 'TARGETING_MATCH', rule.id);
    }
    const s = flag.fallthrough?.(read);
    if (s) return served(flag, s.variant, s.split ? 'SPLIT' : flag.isStatic ? 'STATIC' : 'DEFAULT');
    if (
      flag.fallthrough !== undefined &&
      flag.offVariant !== undefined &&
      flag.offVariant in flag.variants
    ) {
      return served(flag, flag.offVariant, 'SPLIT');
    }
    return codeDefault(flag, 'DEFAULT');
  } catch (err) {
    return codeDefault(flag, 'ERROR', 'GENERAL', (err as Error).message);
  }
}
