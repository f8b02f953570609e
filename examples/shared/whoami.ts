import { getContext } from '@platform/core';

/** What `GET /api/whoami` answers in every example: the current request context. */
export function whoami() {
  const ctx = getContext();
  return {
    requestId: ctx?.requestId,
    ip: ctx?.ip,
    route: ctx?.route,
    tenantId: ctx?.tenantId,
    actor: ctx?.actor,
    traceId: ctx?.traceId,
  };
}
