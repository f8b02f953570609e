import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * GitHub's OAuth2 web flow and the two API calls the preset makes, on loopback, with
 * GitHub's quirks: the token endpoint answers 200 with an `error` member on failure, codes
 * are single-use, PKCE (S256) is checked, `/user` and `/user/emails` need the bearer token.
 * A test double of GitHub's documented behaviour, not GitHub.
 */
export async function startFakeGitHub(clientId: string, clientSecret: string) {
  const codes = new Map<string, { challenge: string; redirect: string }>();
  const tokens = new Set<string>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (url.pathname === '/login/oauth/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('code_challenge_method') !== 'S256')
        return json(400, {});
      const code = randomUUID();
      const redirect = q.get('redirect_uri') as string;
      codes.set(code, { challenge: q.get('code_challenge') as string, redirect });
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') as string);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !grant ||
        form.get('client_secret') !== clientSecret ||
        grant.challenge !== challenge ||
        grant.redirect !== form.get('redirect_uri')
      ) {
        return json(200, { error: 'bad_verification_code' });
      }
      const token = `gho_${randomUUID().replaceAll('-', '')}`;
      tokens.add(token);
      return json(200, {
        access_token: token,
        token_type: 'bearer',
        scope: 'read:user,user:email',
      });
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!tokens.has(token) || !req.headers['user-agent'])
      return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/api/user')
      return json(200, { id: 4242, login: 'octo', name: 'Octo Cat' });
    if (url.pathname === '/api/user/emails') {
      return json(200, [
        { email: 'old@example.com', primary: false, verified: true },
        { email: 'octo@example.com', primary: true, verified: true },
      ]);
    }
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
