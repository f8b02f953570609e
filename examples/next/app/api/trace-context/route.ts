import { getContext } from '@platform/core';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

/** The request and trace ids the handler sees (the tracing e2e test compares them with the span). */
export const GET = route('/api/trace-context', () => {
  const ctx = getContext();
  return Response.json({ requestId: ctx?.requestId, traceId: ctx?.traceId, spanId: ctx?.spanId });
});
