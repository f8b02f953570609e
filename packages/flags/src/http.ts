import { getContext, type RequestContext } from '@platform/core';
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
