import { loginRoute } from '../../../lib/login-routes';

export const dynamic = 'force-dynamic';

/** Back from the identity provider: a session as cookies, then a 303 to returnTo. */
export const GET = loginRoute('/auth/callback', (l) => l.oidc.callback);
