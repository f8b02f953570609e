import { nextRoute } from '@platform/core/next';
import { exampleHealth } from '../../../lib/health';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

/** Every dependency's status, response time and message, and the recent transitions. */
export const GET = route('/health/status', nextRoute(exampleHealth().status));
