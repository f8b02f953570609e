import { withRole } from '@platform/access/next';
import { nextFlagAdmin } from '@platform/flags/next';
import { auditedRefusals } from '../../../../../../shared/admin-guard';
import { exampleAudit } from '../../../../../lib/features/audit';
import { exampleFlags } from '../../../../../lib/features/flags';
import { route } from '../../../../../lib/route';

export const dynamic = 'force-dynamic';

const admin = exampleFlags().then((flags) =>
  nextFlagAdmin(flags, {
    basePath: '/api/admin/flags',
    production: process.env.NODE_ENV === 'production',
  }),
);

/** The flags admin API, for the admin role (refusals audited). */
const handler = route(
  '/api/admin/flags/[[...path]]',
  withRole(
    async (request: Request) => (await admin)(request),
    'admin',
    auditedRefusals(exampleAudit().trail),
  ),
);

export { handler as DELETE, handler as GET, handler as POST, handler as PUT };
