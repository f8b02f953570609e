import { costRoute } from '@platform/cost/next';
import { NotFoundError } from '@platform/errors';
import { exampleCost } from '../../../../lib/features/cost';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

const NAMES = ['usage', 'timeseries', 'report', 'budget', 'billing'] as const;
type Name = (typeof NAMES)[number];

/** GET /api/cost/{usage,timeseries,report,budget,billing}: the dashboard and billing API. */
export const GET = route(
  '/api/cost/[name]',
  async (request: Request, context: { params: Promise<{ name: string }> }) => {
    const { name } = await context.params;
    if (!NAMES.includes(name as Name)) throw new NotFoundError(`No cost endpoint ${name}`);
    return costRoute(exampleCost().handlers, name as Name)(request);
  },
);
