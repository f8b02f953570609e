import { createServer, type Server } from 'node:http';
import { listen } from './loopback.js';

/**
 * A loopback server implementing Google Secret Manager's documented REST method
 * `GET /v1/projects/{project}/secrets/{secret}/versions/{version}:access` (the SDK's HTTP/1
 * "fallback" transport), versions and the `latest` alias, and Google's JSON error body.
 * It is the API contract, not Google Cloud.
 */
export interface FakeGoogleSecretManager {
  port: number;
  put(secret: string, value: string): number;
  setDown(down: boolean): void;
  tokens: string[];
  close(): Promise<void>;
}

export async function startFakeGoogleSecretManager(
  project: string,
): Promise<FakeGoogleSecretManager> {
  const secrets = new Map<string, string[]>();
  const tokens: string[] = [];
  let down = false;
  const route = new RegExp(`^/v1/projects/${project}/secrets/([^/]+)/versions/([^/:]+):access$`);
  const server: Server = createServer((req, res) => {
    tokens.push(String(req.headers.authorization ?? ''));
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (code: number, status: string, message: string) =>
      send(code, { error: { code, message, status } });
    if (down) return error(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    const match = route.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' || !match) return error(404, 'NOT_FOUND', 'Method not found.');
    const [, id, asked] = match as unknown as [string, string, string];
    const versions = secrets.get(id);
    const number = asked === 'latest' ? (versions?.length ?? 0) : Number(asked);
    const value = versions?.[number - 1];
    if (value === undefined)
      return error(
        404,
        'NOT_FOUND',
        `Secret Version [projects/${project}/secrets/${id}/versions/${asked}] not found.`,
      );
    send(200, {
      name: `projects/${project}/secrets/${id}/versions/${number}`,
      payload: { data: Buffer.from(value).toString('base64') },
    });
  });
  const listening = await listen(server);
  return {
    port: listening.port,
    tokens,
    put(secret, value) {
      const versions = [...(secrets.get(secret) ?? []), value];
      secrets.set(secret, versions);
      return versions.length;
    },
    setDown: (d) => {
      down = d;
    },
    close: listening.close,
  };
}
