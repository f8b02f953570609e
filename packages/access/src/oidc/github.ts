import type { OidcClaims } from './providers.js';

interface GitHubUser {
  id: number;
  login: string;
  name?: string | null;
  avatar_url?: string;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

async function getJson<T>(url: string, accessToken: string, signal: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${accessToken}`,
      'user-agent': '@platform/access',
      'x-github-api-version': '2022-11-28',
    },
    signal,
  });
  if (!response.ok)
    throw new Error(`GitHub API ${new URL(url).pathname} answered ${response.status}`);
  return (await response.json()) as T;
}

/** GitHub's user as OIDC-shaped claims: `sub` is the stable numeric id. */
export async function githubProfile(
  apiBase: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<OidcClaims> {
  const [user, emails] = await Promise.all([
    getJson<GitHubUser>(`${apiBase}/user`, accessToken, signal),
    getJson<GitHubEmail[]>(`${apiBase}/user/emails`, accessToken, signal).catch(() => []),
  ]);
  if (typeof user?.id !== 'number') throw new Error('GitHub API /user answered without an id');
  const primary = Array.isArray(emails) ? emails.find((e) => e.primary) : undefined;
  return {
    sub: String(user.id),
    preferred_username: user.login,
    name: user.name ?? user.login,
    ...(user.avatar_url ? { picture: user.avatar_url } : {}),
    ...(primary ? { email: primary.email, email_verified: primary.verified } : {}),
  };
}
