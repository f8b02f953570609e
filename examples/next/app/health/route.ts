import { route } from '../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route('/health', () => Response.json({ status: 'ok' }));
