import { oidcRoutes } from '../src/next.js';
import { loginSuite } from './support/login-suite.js';

// The route handlers get real Request objects from the test browser: no server, as in Next.
loginSuite('Next route handlers', async (auth) => ({
  base: 'http://localhost:3999',
  handle: (request) => {
    const routes = oidcRoutes(auth());
    const path = new URL(request.url).pathname;
    if (path === '/auth/login') return routes.login(request);
    if (path === '/auth/callback') return routes.callback(request);
    return Promise.resolve(new Response(null, { status: 404 }));
  },
  close: async () => {},
}));
