import { ProviderError } from '../../errors.js';

export interface VaultHttpOptions {
  address: string;
  namespace?: string;
  fetch: typeof fetch;
}

/** Vault's answer: the JSON body and the status, for the caller to tell 404 from 403. */
export interface VaultResponse {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * One Vault HTTP call. Vault's error bodies (`{"errors": [...]}`) never hold secret data, but
 * they are still not copied into messages beyond their first line, cut to 200 characters.
 */
export async function vaultRequest(
  http: VaultHttpOptions,
  method: 'GET' | 'POST',
  path: string,
  init: { token?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<VaultResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token) headers['x-vault-token'] = init.token;
  if (http.namespace) headers['x-vault-namespace'] = http.namespace;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await http.fetch(`${http.address}/v1/${path}`, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    throw new ProviderError(
      `Vault unreachable at ${http.address}${code ? ` (${code})` : ''}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    throw new ProviderError(
      `Vault answered ${response.status} with a body that is not JSON`,
      response.status,
    );
  }
  return { status: response.status, body };
}

/** A ProviderError for a Vault answer that is not a success. */
export function vaultFailure(what: string, response: VaultResponse): ProviderError {
  const errors = response.body?.errors;
  const first =
    Array.isArray(errors) && typeof errors[0] === 'string'
      ? errors[0].split('\n')[0]!.slice(0, 200)
      : '';
  return new ProviderError(
    `Vault ${what} failed with ${response.status}${first ? `: ${first}` : ''}`,
    response.status,
  );
}
