import type { NeutralHandler } from '@platform/core';
import { nextRoute } from '@platform/core/next';
import type { DemoLogin } from '../../shared/demo-login';
import { exampleLogin } from './access';
import { route } from './route';

/**
 * One of the login's routes (`app/auth/*`): the OIDC login and callback, refresh and logout
 * handlers of shared/demo-login.ts, served once the process's login has started.
 */
export function loginRoute(template: string, pick: (login: DemoLogin) => NeutralHandler) {
  return route(template, async (request: Request) => nextRoute(pick(await exampleLogin))(request));
}
