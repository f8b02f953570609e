import { loginRoute } from '../../../lib/login-routes';

export const dynamic = 'force-dynamic';

/** The OIDC login with PKCE at the demo's identity provider. */
export const GET = loginRoute('/auth/login', (l) => l.oidc.login);
