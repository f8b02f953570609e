import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route('/api/boom', () => {
  throw new Error('database password is hunter2');
});
