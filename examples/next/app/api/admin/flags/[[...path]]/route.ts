import { nextFlagAdmin } from '@platform/flags/next';
import { exampleFlags, requireFlagAdmin } from '../../../../../lib/features/flags';
import { route } from '../../../../../lib/route';

export const dynamic = 'force-dynamic';

const admin = exampleFlags().then((flags) =>
  nextFlagAdmin(flags, {
    basePath: '/api/admin/flags',
    production: process.env.NODE_ENV === 'production',
  }),
);

/** The flags admin API (demo: needs `X-User-Role: admin`). */
const handler = route('/api/admin/flags/[[...path]]', async (request: Request) => {
  requireFlagAdmin();
  return (await admin)(request);
});

export { handler as DELETE, handler as GET, handler as POST, handler as PUT };
