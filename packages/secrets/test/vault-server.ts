import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from './loopback.js';

/**
 * A loopback HTTP server implementing the parts of Vault's documented HTTP API the provider
 * uses: KV v2 read (`GET /v1/<mount>/data/<path>[?version=N]`, versions, soft delete),
 * AppRole login (`POST /v1/auth/approle/login`), token lookup-self and renew-self, the
 * `X-Vault-Token` and `X-Vault-Namespace` headers and `{"errors": [...]}` bodies.
 * It is the API contract, not a real Vault: no Vault binary can be installed here.
 */
export interface FakeVault {
  address: string;
  /** Writes a new version of a secret; returns its version number. */
  put(path: string, data: Record<string, unknown>): number;
  /** Soft-deletes one version (reads of it answer 404 with metadata, as Vault does). */
  deleteVersion(path: string, version: number): void;
  /** Issues a token with this TTL (seconds, 0 = never expires). */
  issueToken(ttl?: number, renewable?: boolean): string;
  revoke(token: string): void;
  /** `sealed`: 503 on every call; `hang`: requests are accepted and never answered. */
  setDown(mode: 'sealed' | 'hang' | false): void;
  requests: { method: string; path: string; namespace?: string; token?: string }[];
  count(pathPrefix: string): number;
  approle: { roleId: string; secretId: string; tokenTtl: number; renewable: boolean };
  mount: string;
  close(): Promise<void>;
}

interface Version {
  data: Record<string, unknown>;
  created: string;
  deleted?: string;
}

export async function startFakeVault(
  options: { mount?: string; namespace?: string } = {},
): Promise<FakeVault> {
  const mount = options.mount ?? 'secret';
  const secrets = new Map<string, Version[]>();
  const tokens = new Map<string, { expiresAt: number; ttl: number; renewable: boolean }>();
  let down: 'sealed' | 'hang' | false = false;
  const requests: FakeVault['requests'] = [];

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const errors = (res: ServerResponse, status: number, message: string) =>
    send(res, status, { errors: [message] });
  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const valid = (token: string | undefined) => {
    const t = token ? tokens.get(token) : undefined;
    return t && (t.ttl === 0 || t.expiresAt > Date.now()) ? t : undefined;
  };
  const issueToken = (ttl = 0, renewable = true) => {
    const token = `hvs.${randomUUID()}`;
    tokens.set(token, { ttl, renewable, expiresAt: Date.now() + ttl * 1000 });
    return token;
  };
  const approle = { roleId: randomUUID(), secretId: randomUUID(), tokenTtl: 3600, renewable: true };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vault');
    const token = req.headers['x-vault-token'] as string | undefined;
    const namespace = req.headers['x-vault-namespace'] as string | undefined;
    requests.push({ method: req.method ?? '', path: url.pathname, namespace, token });
    if (down === 'hang') return;
    if (down === 'sealed') return errors(res, 503, 'Vault is sealed');
    if (options.namespace && namespace !== options.namespace)
      return errors(res, 403, 'permission denied');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/v1/auth/approle/login') {
      const body = await readBody(req);
      if (body.role_id !== approle.roleId || body.secret_id !== approle.secretId)
        return errors(res, 400, 'invalid role or secret ID');
      const client_token = issueToken(approle.tokenTtl, approle.renewable);
      return send(res, 200, {
        auth: {
          client_token,
          accessor: randomUUID(),
          policies: ['default'],
          lease_duration: approle.tokenTtl,
          renewable: approle.renewable,
        },
        lease_duration: 0,
        renewable: false,
        data: null,
      });
    }
    const held = valid(token);
    if (!held) return errors(res, 403, 'permission denied');
    if (req.method === 'GET' && path === '/v1/auth/token/lookup-self') {
      const left =
        held.ttl === 0 ? 0 : Math.max(0, Math.round((held.expiresAt - Date.now()) / 1000));
      return send(res, 200, {
        data: { ttl: left, renewable: held.renewable, policies: ['default'] },
      });
    }
    if (req.method === 'POST' && path === '/v1/auth/token/renew-self') {
      if (!held.renewable) return errors(res, 400, 'lease is not renewable');
      held.expiresAt = Date.now() + held.ttl * 1000;
      return send(res, 200, {
        auth: { client_token: token, lease_duration: held.ttl, renewable: true },
      });
    }
    const prefix = `/v1/${mount}/data/`;
    if (req.method === 'GET' && path.startsWith(prefix)) {
      const key = decodeURIComponent(path.slice(prefix.length));
      const versions = secrets.get(key);
      if (!versions) return errors(res, 404, '');
      const asked = url.searchParams.get('version');
      const number = asked === null || asked === '0' ? versions.length : Number(asked);
      const version = versions[number - 1];
      if (!version) return errors(res, 404, '');
      const metadata = {
        created_time: version.created,
        custom_metadata: null,
        deletion_time: version.deleted ?? '',
        destroyed: false,
        version: number,
      };
      if (version.deleted) return send(res, 404, { data: { data: null, metadata } });
      return send(res, 200, {
        request_id: randomUUID(),
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: { data: version.data, metadata },
        wrap_info: null,
        warnings: null,
        auth: null,
      });
    }
    return errors(res, 404, `no handler for route "${path}"`);
  });
  const listening = await listen(server);
  const { port } = listening;
  return {
    address: `http://127.0.0.1:${port}`,
    mount,
    approle,
    requests,
    put(path, data) {
      const versions = secrets.get(path) ?? [];
      versions.push({ data, created: new Date().toISOString() });
      secrets.set(path, versions);
      return versions.length;
    },
    deleteVersion(path, version) {
      const v = secrets.get(path)?.[version - 1];
      if (v) v.deleted = new Date().toISOString();
    },
    issueToken,
    revoke: (token) => void tokens.delete(token),
    setDown: (mode) => {
      down = mode;
    },
    count: (p) => requests.filter((r) => r.path.startsWith(p)).length,
    close: listening.close,
  };
}
