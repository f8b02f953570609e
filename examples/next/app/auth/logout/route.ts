import { loginRoute } from '../../../lib/login-routes';

export const dynamic = 'force-dynamic';

/** Ends this session and clears its cookies. */
export const POST = loginRoute('/auth/logout', (l) => l.handlers.logout);
