import { getContext, processSingleton, toResponse } from '@platform/core';
import { consoleHelp } from '../../shared/admin-console';
import { applyDemoAuth } from '../../shared/demo-auth';
import { demoLogin } from '../../shared/demo-login';

/**
 * The demo's login, once per server process (route bundles and instrumentation.ts share
 * it): the in-process identity provider and the session engine. `next start` names its
 * URL in `__NEXT_PRIVATE_ORIGIN`/`PORT`; `DEMO_PUBLIC_URL` names another.
 */
export const exampleLogin = processSingleton('@platform/example-next.login', 1, () =>
  demoLogin().then(async (login) => {
    const origin =
      process.env.__NEXT_PRIVATE_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
    console.log(await login.listening(origin));
    console.log(consoleHelp(origin));
    return login;
  }),
);

/**
 * The session (access cookie or `Authorization: Bearer`) as the request's actor, tenant and
 * roles, run inside the request context before every feature; a problem response when a
 * credential was sent and is not valid. Without one, `DEMO_HEADER_AUTH` (on outside production)
 * lets the `X-User-*` headers set the caller.
 */
export async function authenticateRequest(request: Request): Promise<Response | undefined> {
  const login = await exampleLogin;
  const header = (name: string) => request.headers.get(name) ?? undefined;
  const refusal = await login.authenticate.run({ header }, getContext());
  if (refusal) return toResponse(refusal);
  if (login.headerAuth && !getContext()?.actor) applyDemoAuth(header);
  return undefined;
}
