import { adminRoute } from '@platform/admin/next';
import { flagAdmin } from '@platform/flags';
import { logLevelHandlers } from '@platform/tracing';
import { ADMIN_CONSOLE, exampleConsole } from '../../../../../shared/admin-console';
import { exampleAudit } from '../../../../lib/features/audit';
import { exampleCost } from '../../../../lib/features/cost';
import { exampleFlags } from '../../../../lib/features/flags';
import { slos, telemetry } from '../../../../lib/features/metrics';
import { exampleHealth } from '../../../../lib/health';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

/** The admin console over the example's own handlers; roles and CSRF enforced by its API. */
const adminUi = exampleFlags().then((flags) => {
  const audit = exampleAudit();
  const parts = [
    { flags: flagAdmin(flags, { production: process.env.NODE_ENV === 'production' }) },
    { audit: audit.trail, auditLog: audit.handlers },
    { cost: exampleCost().handlers },
    { metrics: telemetry, slos },
    { logLevels: logLevelHandlers() },
  ];
  return adminRoute(exampleConsole(parts, exampleHealth()), { base: ADMIN_CONSOLE }).GET;
});

const handler = route('/admin/console/[[...path]]', async (request: Request) =>
  (await adminUi)(request),
);

export { handler as DELETE, handler as GET, handler as HEAD, handler as POST, handler as PUT };
