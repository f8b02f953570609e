import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { signWebhook } from '../src/index.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

export function urlOf(server: Server, path: string): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}${path}`;
}

export async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: text ? JSON.parse(text) : undefined,
  };
}

/** Expects a 401 problem+json naming `code`. */
export function expectRefused(res: Awaited<ReturnType<typeof post>>, code: string, status = 401) {
  expect(res.status).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status, code });
  expect(typeof res.json.detail).toBe('string');
}

/**
 * The refusals every binding must give, in order, against a route that answers
 * `{ id, payload }` for an accepted delivery. `send` posts to the route under test.
 */
export async function webhookContract(
  send: (body: string, headers: Record<string, string>) => ReturnType<typeof post>,
  options: { hostParsesJson?: boolean } = {},
): Promise<void> {
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: `inv_${Math.random()}` } });
  const headers = signWebhook({ secret: SECRET, body });
  const ok = await send(body, headers);
  expect(ok.status).toBe(200);
  expect(ok.json).toEqual({ id: headers['webhook-id'], payload: JSON.parse(body) });

  expectRefused(await send(body, headers), 'replayed');
  const changed = body.replace('invoice', 'invoicf');
  expectRefused(
    await send(changed, signWebhook({ secret: SECRET, body, id: 'msg_b' })),
    'signature_mismatch',
  );
  expectRefused(
    await send(
      body,
      signWebhook({
        secret: `whsec_${Buffer.from('wrong-secret-0123456789abcd').toString('base64')}`,
        body,
      }),
    ),
    'signature_mismatch',
  );
  const stale = Math.floor(Date.now() / 1000) - 301;
  expectRefused(
    await send(body, signWebhook({ secret: SECRET, body, timestamp: stale })),
    'timestamp_out_of_window',
  );
  expectRefused(
    await send(body, {
      'webhook-id': 'msg_x',
      'webhook-timestamp': 'now',
      'webhook-signature': 'v1,x',
    }),
    'malformed_header',
  );
  expectRefused(await send(body, {}), 'missing_headers');
  // a sender still on the old secret during the rotation
  const rotated = signWebhook({ secret: OLD_SECRET, body });
  expect((await send(body, rotated)).status).toBe(200);
  // signed but not JSON: 400 (the host's own JSON parser answers first when it has one)
  if (options.hostParsesJson) return;
  const notJson = '{"type":';
  expectRefused(
    await send(notJson, signWebhook({ secret: SECRET, body: notJson })),
    'invalid_json',
    400,
  );
}
