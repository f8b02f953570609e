import { getContext, type RequestContext, requestSlot } from '@platform/core';
import type { FlagReader, Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import type { EvaluationContext } from './model.js';

/**
 * The evaluation context of a request: user id, tenant and roles from core's request
 * context, under `extra` (e.g. attributes the host reads from the request).
 */
export function contextOfRequest(
  request: RequestContext | undefined,
  extra?: EvaluationContext,
): EvaluationContext {
  const ctx: EvaluationContext = {};
  if (request?.actor) {
    ctx.userId = request.actor.id;
    ctx.roles = request.actor.roles;
  }
  if (request?.tenantId) ctx.tenantId = request.tenantId;
  return extra ? { ...ctx, ...extra } : ctx;
}

/** Flags bound to one request: evaluations see its user, tenant and roles even outside its async scope. */
export function flagsForRequest<D extends DefinitionMap>(
  flags: Flags<D>,
  request: RequestContext | undefined = getContext(),
  extra?: EvaluationContext,
): FlagReader<D> {
  return flags.with(contextOfRequest(request, extra));
}

/** The flags of each request, bound once and kept on its core request context. */
export interface RequestFlagsBinder<D extends DefinitionMap, R> {
  /** Binds the request's flags (its user, tenant, roles and `extra(req)`) and keeps them. */
  bind(req: R, context: RequestContext | undefined): FlagReader<D>;
  /** The flags bound to this request, bound now if they were not. */
  of(req: R, context: RequestContext | undefined): FlagReader<D>;
}

/**
 * Per-request flag readers kept in a core request slot (never on the framework's request
 * object): a binding calls `bind` from its middleware and `of` from the handler.
 */
export function requestFlagsBinder<D extends DefinitionMap, R>(
  flags: Flags<D>,
  extra?: (req: R) => EvaluationContext | undefined,
): RequestFlagsBinder<D, R> {
  const slot = requestSlot<FlagReader<D>>('flags.reader');
  const bind = (req: R, context: RequestContext | undefined) => {
    const reader = flagsForRequest(flags, context, extra?.(req));
    slot.set(context, reader);
    return reader;
  };
  return { bind, of: (req, context) => slot.get(context) ?? bind(req, context) };
}
