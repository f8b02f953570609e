import { auditRoute } from '@platform/audit/next';
import { exampleAudit } from '../../../../lib/features/audit';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** Admins only (X-User-Role: admin): search the audit trail. */
export const GET = route('/api/audit/events', auditRoute(exampleAudit().handlers.search));
