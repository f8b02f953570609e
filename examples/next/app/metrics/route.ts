import { metricsRoute } from '@platform/metrics/next';
import { telemetry } from '../../lib/features/metrics';

export const dynamic = 'force-dynamic';

/** Prometheus text, or OpenMetrics with exemplars when the scraper asks for it. */
export const GET = metricsRoute(telemetry);
