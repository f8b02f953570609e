/**
 * Next.js calls `register()` once per server process before serving requests: start
 * @platform/tracing here so spans from the very first request are exported. Node
 * runtime only (the Edge runtime has no AsyncLocalStorage-based SDK). Next's own spans
 * are dropped (`ignoreScopes`); our route wrapper emits the SERVER span. The demo login
 * (lib/access.ts) starts here too. The import stays
 * inside the `if` so webpack leaves it out of the Edge build of this file.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { initTracing } = await import('@platform/tracing');
    initTracing({ serviceName: 'example-next', ignoreScopes: ['next.js'] });
    // the demo's identity provider and sessions, started with the server: prints how to log in
    const { exampleLogin } = await import('./lib/access');
    await exampleLogin;
  }
}
