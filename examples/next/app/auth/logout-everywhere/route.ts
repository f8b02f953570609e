import { loginRoute } from '../../../lib/login-routes';

export const dynamic = 'force-dynamic';

/** Ends every session of the signed-in user. */
export const POST = loginRoute('/auth/logout-everywhere', (l) => l.handlers.logoutEverywhere);
