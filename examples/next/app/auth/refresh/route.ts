import { loginRoute } from '../../../lib/login-routes';

export const dynamic = 'force-dynamic';

/** Rotates the refresh token: a new access token. */
export const POST = loginRoute('/auth/refresh', (l) => l.handlers.refresh);
