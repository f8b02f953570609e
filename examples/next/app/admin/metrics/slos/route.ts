import { withRole } from '@platform/access/next';
import { nextRoute } from '@platform/core/next';
import { slos } from '../../../../lib/features/metrics';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** Admins: the SLOs' error budget left, burn rates over 1 h / 6 h / 3 d and availability. */
export const GET = route('/admin/metrics/slos', withRole(nextRoute(slos.handler), 'admin'));
