import { getContext } from '@platform/core';
import { exampleCost } from '../../../../lib/features/cost';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** The caller tenant's usage records, optionally of one request id. */
export const GET = route('/api/ai/usage', async (request) => {
  const tenant = getContext()?.tenantId ?? 'default';
  const requestId = new URL(request.url).searchParams.get('requestId') ?? undefined;
  const records = await exampleCost().control.ledger.records({ tenant, requestId, limit: 50 });
  return Response.json({
    records: records.map((r) => ({ ...r, costNanoUsd: r.costNanoUsd.toString() })),
  });
});
