import { nextRoute } from '@platform/core/next';
import { slos } from '../../../../lib/features/metrics';

export const dynamic = 'force-dynamic';

/** The SLOs' error budget left, burn rates over 1 h / 6 h / 3 d and availability. */
export const GET = nextRoute(slos.handler);
