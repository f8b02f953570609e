import { percentBucket, variantBucket } from './hash.js';
import type { ErrorCode, Serve } from './model.js';
import type { Read } from './operators.js';

/** A served variant, or `undefined` when a percentage rollout left this context out. */
export type CompiledServe = (read: Read) => { variant: string; split: boolean } | undefined;

/** Thrown while compiling one flag; the message names the field. */
export class FlagCompileError extends Error {
  override readonly name = 'FlagCompileError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function stickyValue(read: Read, attribute: string | undefined): string | undefined {
  if (attribute) {
    const v = read(attribute);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  }
  const user = read('userId');
  if (typeof user === 'string' && user !== '') return user;
  const tenant = read('tenantId');
  return typeof tenant === 'string' && tenant !== '' ? tenant : undefined;
}

/** Compiles a `serve` (fixed variant, percentage or weighted variants) with its stickiness. */
export function compileServe(
  key: string,
  serve: Serve,
  variants: Record<string, unknown>,
  isBoolean: boolean,
  where: string,
): CompiledServe {
  const need = (v: string, field: string) => {
    if (!Object.hasOwn(variants, v)) {
      throw new FlagCompileError('PARSE_ERROR', `${where}.${field}: unknown variant "${v}"`);
    }
    return v;
  };
  const r = serve.rollout;
  if (!r) {
    const out = { variant: need(serve.variant!, 'variant'), split: false };
    return () => out;
  }
  const stickiness = r.stickiness;
  if (r.percentage !== undefined) {
    const pct = r.percentage;
    const variant = need(serve.variant ?? (isBoolean ? 'on' : ''), 'variant');
    const out = { variant, split: true };
    if (pct >= 100) return () => out;
    return (read) => {
      const s = stickyValue(read, stickiness);
      if (s === undefined || pct === 0) return undefined;
      return percentBucket(key, s) <= pct ? out : undefined;
    };
  }
  const names: string[] = [];
  const bounds: number[] = [];
  let total = 0;
  for (const [i, w] of r.variants!.entries()) {
    need(w.variant, `rollout.variants.${i}.variant`);
    total += w.weight;
    names.push(w.variant);
    bounds.push(total);
  }
  const outs = names.map((variant) => ({ variant, split: true }));
  const first = outs.find((_, i) => r.variants![i]!.weight > 0) ?? outs[0]!;
  return (read) => {
    const s = stickyValue(read, stickiness);
    if (s === undefined) return first;
    const b = variantBucket(key, s);
    for (let i = 0; i < bounds.length; i++) if (b <= bounds[i]!) return outs[i];
    return outs[outs.length - 1];
  };
}
