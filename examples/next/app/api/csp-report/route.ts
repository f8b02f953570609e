import { receiveCspReport } from '../../../lib/features/headers';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

/** Browsers POST CSP violation reports here (report-uri and Reporting-Endpoints). */
export const POST = route('/api/csp-report', receiveCspReport);
