import { getContext } from '@platform/core';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route('/api/whoami', () => {
  const ctx = getContext();
  return Response.json({ requestId: ctx?.requestId, ip: ctx?.ip, route: ctx?.route });
});
