import { auditRoute } from '@platform/audit/next';
import { exampleAudit } from '../../../../lib/features/audit';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** Admins only (X-User-Role: admin): verify a tenant's hash chain. */
export const GET = route('/api/audit/verify', auditRoute(exampleAudit().handlers.verify));
