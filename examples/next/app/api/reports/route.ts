import { getContext } from '@platform/core';
import { NotFoundError } from '@platform/errors';
import { requestFlags } from '@platform/flags/next';
import { exampleFlags } from '../../../lib/features/flags';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

/** Gated by `betaReports`: on for tenant acme (tenant override), off for the others. */
export const GET = route('/api/reports', async () => {
  if (!requestFlags(await exampleFlags()).isEnabled('betaReports')) {
    throw new NotFoundError('Reports are not available');
  }
  return Response.json({
    reports: [{ id: 'r1', name: 'Monthly revenue' }],
    tenantId: getContext()?.tenantId,
  });
});
