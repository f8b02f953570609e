import {
  type JsonValue,
  type EvaluationContext as OFContext,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import type { Evaluation, EvaluationContext } from './model.js';

type Kind = 'boolean' | 'string' | 'number' | 'object';

function toContext(ctx: OFContext): EvaluationContext | undefined {
  const keys = Object.keys(ctx);
  if (keys.length === 0) return undefined;
  const out: EvaluationContext = { ...(ctx as Record<string, unknown>) };
  if (ctx.targetingKey !== undefined && out.userId === undefined) out.userId = ctx.targetingKey;
  return out;
}

function matches(kind: Kind, value: unknown): boolean {
  if (kind === 'object') return typeof value === 'object' && value !== null;
  return typeof value === kind;
}

/**
 * An OpenFeature server provider over a flag client: all four resolve methods, our
 * reasons and error codes, flag metadata (version, kind, owner, ruleId), READY and
 * CONFIGURATION_CHANGED events, and `track()` counted in the flag analytics.
 *
 * @example
 * await OpenFeature.setProviderAndWait(new PlatformFlagsProvider(flags));
 * const enabled = await OpenFeature.getClient().getBooleanValue('newCheckout', false);
 */
export class PlatformFlagsProvider implements Provider {
  readonly metadata = { name: '@platform/flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private unsubscribe: (() => void) | undefined;

  // biome-ignore lint/suspicious/noExplicitAny: the provider serves any definition map
  constructor(private readonly flags: Flags<any>) {}

  async initialize(): Promise<void> {
    await this.flags.ready();
    this.unsubscribe ??= this.flags.onUpdate((snapshot) => {
      this.events.emit(ProviderEvents.ConfigurationChanged, {
        flagsChanged: [...snapshot.flags.keys()],
      });
    });
  }

  async onClose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  // Static metadata per compiled flag, built once per snapshot.
  private readonly flagMeta = new WeakMap<
    object,
    Readonly<Record<string, string | number | boolean>>
  >();

  private metadataOf(key: string): Readonly<Record<string, string | number | boolean>> {
    const flag = this.flags.snapshot().flags.get(key);
    if (!flag) return {};
    let meta = this.flagMeta.get(flag);
    if (!meta) {
      const m: Record<string, string | number | boolean> = {};
      if (flag.state) m.version = flag.state.version;
      const kind = flag.state?.kind ?? flag.definition?.kind;
      if (kind) m.kind = kind;
      const owner = flag.state?.owner ?? flag.definition?.owner;
      if (owner) m.owner = owner;
      meta = Object.freeze(m);
      this.flagMeta.set(flag, meta);
    }
    return meta;
  }

  private resolve<T>(
    kind: Kind,
    key: string,
    defaultValue: T,
    ctx: OFContext,
  ): ResolutionDetails<T> {
    const r: Evaluation = this.flags.evaluateAny(key, toContext(ctx));
    const base = this.metadataOf(key);
    const flagMetadata = r.ruleId ? { ...base, ruleId: r.ruleId } : base;
    if (r.errorCode) {
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: r.errorCode as never,
        errorMessage: r.errorMessage,
        flagMetadata,
      };
    }
    if (!matches(kind, r.value)) {
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'TYPE_MISMATCH' as never,
        errorMessage: `flag "${key}" is ${typeof r.value}, not ${kind}`,
        flagMetadata,
      };
    }
    const out: ResolutionDetails<T> = { value: r.value as T, reason: r.reason, flagMetadata };
    if (r.variant !== undefined) out.variant = r.variant;
    return out;
  }

  async resolveBooleanEvaluation(
    key: string,
    defaultValue: boolean,
    ctx: OFContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.resolve('boolean', key, defaultValue, ctx);
  }

  async resolveStringEvaluation(
    key: string,
    defaultValue: string,
    ctx: OFContext,
  ): Promise<ResolutionDetails<string>> {
    return this.resolve('string', key, defaultValue, ctx);
  }

  async resolveNumberEvaluation(
    key: string,
    defaultValue: number,
    ctx: OFContext,
  ): Promise<ResolutionDetails<number>> {
    return this.resolve('number', key, defaultValue, ctx);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    ctx: OFContext,
  ): Promise<ResolutionDetails<T>> {
    return this.resolve('object', key, defaultValue, ctx);
  }

  /** Counts the event in the analytics (flag = event name, variant = `track`). */
  track(name: string, ctx: OFContext, _details: TrackingEventDetails): void {
    const tenant = typeof ctx.tenantId === 'string' ? ctx.tenantId : undefined;
    this.flags.track(name, 'track', tenant);
  }
}

/** Creates the provider (see `PlatformFlagsProvider`). */
// biome-ignore lint/suspicious/noExplicitAny: any definition map
export function openFeatureProvider(flags: Flags<any>): PlatformFlagsProvider {
  return new PlatformFlagsProvider(flags);
}

export type { DefinitionMap };
