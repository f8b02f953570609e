import { summaryRoute } from '@platform/metrics/next';
import { telemetry } from '../../../../lib/features/metrics';

export const dynamic = 'force-dynamic';

/** Rate, 5xx rate and P50/P95/P99 per route and tenant over the last 1 h and 24 h. */
export const GET = summaryRoute(telemetry);
