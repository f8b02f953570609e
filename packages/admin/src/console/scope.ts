import { randomUUID } from 'node:crypto';
import { type Answer, getContext, type NeutralRequest, type RequestContext } from '@platform/core';
import type { AdminPrincipal } from './access.js';

/** The request context the packages' handlers see: the console's principal as the actor. */
export function contextFor(request: NeutralRequest, principal: AdminPrincipal): RequestContext {
  const base = request.context ??
    getContext() ?? {
      requestId: randomUUID(),
      method: request.method,
      path: request.path,
      startTime: Date.now(),
    };
  return {
    ...base,
    actor: { type: 'user', id: principal.actor, roles: [...principal.roles] },
    tenantId: principal.tenant ?? base.tenantId,
  };
}

/**
 * The request as the package's handler gets it: mounted at the area, with the console's
 * context, the validated body, and for a tenant-scoped principal `?tenant=` pinned to theirs.
 * Undefined when a scoped principal asks for another tenant.
 */
export function rebase(
  request: NeutralRequest,
  area: string,
  principal: AdminPrincipal,
  context: RequestContext,
  body: { value: unknown } | undefined,
): NeutralRequest | undefined {
  const query = new URLSearchParams(request.query);
  if (principal.tenant !== undefined) {
    const asked = query.get('tenant');
    if (asked !== null && asked !== principal.tenant) return undefined;
    if (area === 'audit' || area === 'usage') query.set('tenant', principal.tenant);
  }
  const base = `${request.base}/api/${area}`.replace(/\/{2,}/g, '/');
  return {
    ...request,
    base,
    query,
    context,
    ...(body && { body: body.value, readBody: undefined }),
  };
}

/** A tenant-scoped principal sees only their own tenant's overrides in the flag list. */
export function scopeFlagList(answer: Answer, tenant: string): Answer {
  if (answer.status !== 200 || typeof answer.body !== 'string') return answer;
  const parsed = JSON.parse(answer.body) as {
    items?: { tenants?: Record<string, unknown> }[];
    tenants?: Record<string, unknown>;
  };
  const only = (t: Record<string, unknown> | undefined) =>
    t && Object.hasOwn(t, tenant) ? { [tenant]: t[tenant] } : {};
  if (parsed.items) for (const item of parsed.items) item.tenants = only(item.tenants);
  else if (parsed.tenants) parsed.tenants = only(parsed.tenants);
  return { ...answer, body: JSON.stringify(parsed) };
}

/** The metrics summary without other tenants' rows. */
export function scopeSummary(answer: Answer, tenant: string): Answer {
  if (answer.status !== 200 || typeof answer.body !== 'string') return answer;
  const parsed = JSON.parse(answer.body) as {
    windows?: Record<string, { tenants?: Record<string, unknown> }>;
  };
  for (const window of Object.values(parsed.windows ?? {})) {
    const own = window.tenants?.[tenant];
    window.tenants = own === undefined ? {} : { [tenant]: own };
  }
  return { ...answer, body: JSON.stringify(parsed) };
}
