import { nextRoute } from '@platform/core/next';
import { exampleHealth } from '../../lib/health';
import { route } from '../../lib/route';

export const dynamic = 'force-dynamic';

/** Liveness: 200 while the process serves; no dependency is called. */
export const GET = route('/health', nextRoute(exampleHealth().live));
