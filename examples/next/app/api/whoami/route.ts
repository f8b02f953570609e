import { whoami } from '../../../../shared/whoami';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route('/api/whoami', () => Response.json(whoami()));
