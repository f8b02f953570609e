import { nextRoute } from '@platform/core/next';
import { exampleHealth } from '../../../lib/health';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

/** Readiness: 503 while a critical dependency is unhealthy. */
export const GET = route('/health/ready', nextRoute(exampleHealth().ready));
