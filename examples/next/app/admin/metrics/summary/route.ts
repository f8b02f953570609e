import { withRole } from '@platform/access/next';
import { summaryRoute } from '@platform/metrics/next';
import { telemetry } from '../../../../lib/features/metrics';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** Admins: rate, 5xx rate and P50/P95/P99 per route and tenant over the last 1 h and 24 h. */
export const GET = route('/admin/metrics/summary', withRole(summaryRoute(telemetry), 'admin'));
