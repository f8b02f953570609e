/**
 * A tiny browser for driving logins over real HTTP: a cookie jar (by name; enough for one
 * host), manual redirects, and the two form posts of oidc-provider's dev interactions.
 */
export class Browser {
  readonly jar = new Map<string, string>();

  /** Requests to `origin` go to this Fetch handler (a Next route) instead of the network. */
  constructor(
    private readonly local?: { origin: string; handle: (r: Request) => Promise<Response> },
  ) {}

  private store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k = '', v = ''] = a.trim().split('=');
        if (k.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k.toLowerCase() === 'expires') return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', this.cookieHeader());
    const local = this.local && new URL(url).origin === this.local.origin ? this.local : undefined;
    const response = local
      ? await local.handle(new Request(url, { ...init, headers }))
      : await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }

  /** Follows redirects until a non-redirect answer or a URL `stop` accepts (not fetched). */
  async follow(
    url: string,
    stop: (url: URL) => boolean = () => false,
  ): Promise<{ url: string; response?: Response }> {
    let current = url;
    for (let hops = 0; hops < 20; hops++) {
      if (stop(new URL(current))) return { url: current };
      const response = await this.request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location)
        return { url: current, response };
      await response.body?.cancel();
      current = new URL(location, current).href;
    }
    throw new Error('too many redirects');
  }

  private async submit(url: string, fields: Record<string, string>): Promise<string> {
    const response = await this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const location = response.headers.get('location');
    if (!location)
      throw new Error(`interaction answered ${response.status}: ${await response.text()}`);
    return new URL(location, url).href;
  }

  /**
   * Starts at the app's login URL, signs in as `login` at the provider and consents; answers
   * the callback URL the provider sent the browser to, not yet visited.
   */
  async signIn(loginUrl: string, login: string, callbackPath = '/auth/callback'): Promise<string> {
    const atCallback = (u: URL) => u.pathname === callbackPath;
    let step = await this.follow(loginUrl, atCallback);
    for (let round = 0; round < 3 && step.response; round++) {
      const page = step.url;
      const html = await step.response.text();
      const prompt = html.includes('name="login"') ? 'login' : 'consent';
      const next = await this.submit(
        page,
        prompt === 'login' ? { prompt, login, password: 'x' } : { prompt },
      );
      step = await this.follow(next, atCallback);
    }
    if (step.response) throw new Error(`login stopped at ${step.url} (${step.response.status})`);
    return step.url;
  }
}
