import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { listen } from './loopback.js';

/**
 * A loopback HTTPS server implementing Azure Key Vault's documented "Get Secret" REST call
 * (`GET /secrets/{name}/{version}?api-version=...`), its bearer challenge (a 401 with
 * `WWW-Authenticate: Bearer authorization=..., resource=...` before the token is sent) and
 * its JSON error body. TLS with a test certificate for 127.0.0.1 (the SDK refuses
 * bearer tokens over plain HTTP). It is the API contract, not Azure.
 */
export interface FakeKeyVault {
  url: string;
  ca: string;
  put(name: string, value: string): string;
  setDown(down: boolean): void;
  authorizations: string[];
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1 valid until 2126, made once with openssl and kept as a fixture. */
function loopbackCert(): { key: string; cert: string } {
  const read = (name: string) =>
    readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return { key: read('loopback-key.pem'), cert: read('loopback-cert.pem') };
}

export async function startFakeKeyVault(token: string): Promise<FakeKeyVault> {
  const { key, cert } = loopbackCert();
  const secrets = new Map<string, { id: string; value: string }[]>();
  const authorizations: string[] = [];
  let down = false;
  let base = '';
  const server: Server = createServer({ key, cert }, (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const auth = String(req.headers.authorization ?? '');
    authorizations.push(auth);
    if (auth !== `Bearer ${token}`)
      return send(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: 'AKV10000: Request is missing a Bearer or PoP token.',
          },
        },
        {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
        },
      );
    if (down)
      return send(503, {
        error: { code: 'ServiceUnavailable', message: 'The service is unavailable.' },
      });
    const url = new URL(req.url ?? '/', base);
    const match = /^\/secrets\/([A-Za-z0-9-]+)\/?([0-9a-f]{32})?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match || !url.searchParams.get('api-version'))
      return send(400, {
        error: { code: 'BadParameter', message: 'The request URI is not valid.' },
      });
    const [, name, versionId] = match as unknown as [string, string, string | undefined];
    const versions = secrets.get(name!) ?? [];
    const version = versionId ? versions.find((v) => v.id === versionId) : versions.at(-1);
    if (!version)
      return send(404, {
        error: {
          code: 'SecretNotFound',
          message: `A secret with (name/id) ${name} was not found in this key vault.`,
        },
      });
    const now = Math.floor(Date.now() / 1000);
    send(200, {
      value: version.value,
      id: `${base}/secrets/${name}/${version.id}`,
      attributes: {
        enabled: true,
        created: now,
        updated: now,
        recoveryLevel: 'Recoverable+Purgeable',
      },
    });
  });
  const listening = await listen(server);
  base = `https://127.0.0.1:${listening.port}`;
  return {
    url: base,
    ca: cert,
    authorizations,
    put(name, value) {
      const id = randomBytes(16).toString('hex');
      secrets.set(name, [...(secrets.get(name) ?? []), { id, value }]);
      return id;
    },
    setDown: (d) => {
      down = d;
    },
    close: listening.close,
  };
}
