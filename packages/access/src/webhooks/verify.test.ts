import { recordingMetrics } from '@platform/core/testkit';
import { describe, expect, it } from 'vitest';
import { memoryReplayStore } from './replay.js';
import { signWebhook } from './sign.js';
import { webhookVerifier } from './verify.js';

// Test vectors published by the Standard Webhooks project
// (github.com/standard-webhooks/standard-webhooks: libraries/*/ sign and verify tests and
// spec/standard-webhooks.md, commit b2fa7b8). Facts only: secret, id, timestamp, body and the
// signature the reference libraries compute.
const VECTORS = [
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  {
    secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
    id: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
    timestamp: 1649367553,
    body: '{"email":"test@example.com","username":"test_user"}',
    signature: 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
  },
];
// signatures the reference tests use as "not ours" in multi-signature headers
const FOREIGN = [
  'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
  'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
  'v1,tFtCZ5RDCPxzWQRWXWPgrCgE2frDBe9gjpbWQxnVfsQ=',
];

type Vector = (typeof VECTORS)[number];
const headersOf = (v: Vector, signature = v.signature) => {
  const h: Record<string, string> = {
    'webhook-id': v.id,
    'webhook-timestamp': String(v.timestamp),
    'webhook-signature': signature,
  };
  return (name: string) => h[name];
};
const at =
  (v: Vector, offsetSeconds = 0) =>
  () =>
    (v.timestamp + offsetSeconds) * 1000;

describe('webhookVerifier (standard)', () => {
  it.each(VECTORS)('accepts the published vector $id, with or without whsec_', async (v) => {
    for (const secret of [v.secret, v.secret.slice(6)]) {
      const verifier = webhookVerifier({ secrets: secret, now: at(v, 10) });
      const result = await verifier.verify({ header: headersOf(v), body: v.body });
      expect(result).toMatchObject({ ok: true, id: v.id, timestamp: v.timestamp, secretIndex: 0 });
    }
  });

  it.each(VECTORS)('signWebhook reproduces the published signature of $id', (v) => {
    const h = signWebhook({ secret: v.secret, id: v.id, timestamp: v.timestamp, body: v.body });
    expect(h['webhook-signature']).toBe(v.signature);
  });

  it('finds the valid signature among foreign ones (rotation at the sender)', async () => {
    const v = VECTORS[0] as Vector;
    const verifier = webhookVerifier({ secrets: v.secret, now: at(v) });
    const header = headersOf(v, [...FOREIGN, v.signature].join(' '));
    expect((await verifier.verify({ header, body: v.body })).ok).toBe(true);
    const onlyForeign = webhookVerifier({ secrets: v.secret, now: at(v) });
    const refused = await onlyForeign.verify({
      header: headersOf(v, FOREIGN.join(' ')),
      body: v.body,
    });
    expect(refused).toMatchObject({ ok: false, status: 401, code: 'signature_mismatch' });
  });

  it('accepts any of several active secrets (rotation at the receiver)', async () => {
    const v = VECTORS[1] as Vector;
    const other = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const verifier = webhookVerifier({ secrets: [other, v.secret], now: at(v) });
    expect(await verifier.verify({ header: headersOf(v), body: v.body })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
  });

  it('refuses a body changed by one byte and a wrong secret', async () => {
    const v = VECTORS[0] as Vector;
    const changed = v.body.replace('2432232314', '2432232315');
    const a = webhookVerifier({ secrets: v.secret, now: at(v) });
    expect(await a.verify({ header: headersOf(v), body: changed })).toMatchObject({
      ok: false,
      code: 'signature_mismatch',
      detail: 'no signature matches the body under any active secret',
    });
    const b = webhookVerifier({ secrets: VECTORS[1]?.secret as string, now: at(v) });
    expect(await b.verify({ header: headersOf(v), body: v.body })).toMatchObject({
      ok: false,
      status: 401,
      code: 'signature_mismatch',
    });
  });

  it('refuses timestamps outside the window, both ways, and accepts at its edge', async () => {
    const v = VECTORS[0] as Vector;
    const old = webhookVerifier({ secrets: v.secret, now: at(v, 301) });
    expect(await old.verify({ header: headersOf(v), body: v.body })).toMatchObject({
      code: 'timestamp_out_of_window',
      detail: 'the signature timestamp is 301 s old, outside the 300 s tolerance',
    });
    const future = webhookVerifier({ secrets: v.secret, now: at(v, -301) });
    expect(await future.verify({ header: headersOf(v), body: v.body })).toMatchObject({
      code: 'timestamp_out_of_window',
      detail: 'the signature timestamp is 301 s in the future, outside the 300 s tolerance',
    });
    const edge = webhookVerifier({ secrets: v.secret, now: at(v, 300) });
    expect((await edge.verify({ header: headersOf(v), body: v.body })).ok).toBe(true);
  });

  it('refuses a replay, and accepts it again once forgotten', async () => {
    const v = VECTORS[0] as Vector;
    const verifier = webhookVerifier({
      secrets: v.secret,
      now: at(v),
      replay: memoryReplayStore(),
    });
    const first = await verifier.verify({ header: headersOf(v), body: v.body });
    expect(first.ok).toBe(true);
    expect(await verifier.verify({ header: headersOf(v), body: v.body })).toMatchObject({
      status: 401,
      code: 'replayed',
      detail: `delivery ${v.id} at ${v.timestamp} was already accepted`,
    });
    if (first.ok) await verifier.forget(first);
    expect((await verifier.verify({ header: headersOf(v), body: v.body })).ok).toBe(true);
  });

  it('refuses missing and malformed headers with a detail naming them', async () => {
    const v = VECTORS[0] as Vector;
    const verifier = webhookVerifier({ secrets: v.secret, now: at(v) });
    const cases: [Record<string, string>, string, string][] = [
      [{ 'webhook-id': v.id, 'webhook-timestamp': '1' }, 'missing_headers', 'webhook-signature'],
      [
        { 'webhook-id': v.id, 'webhook-timestamp': 'soon', 'webhook-signature': v.signature },
        'malformed_header',
        'unix seconds',
      ],
      [
        { 'webhook-id': v.id, 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,' },
        'malformed_header',
        'v1,<base64>',
      ],
      [
        {
          'webhook-id': v.id,
          'webhook-timestamp': '1614265330',
          'webhook-signature': v.signature.slice(0, 8),
        },
        'malformed_header',
        'v1,<base64>',
      ],
      [
        {
          'webhook-id': 'a b',
          'webhook-timestamp': '1614265330',
          'webhook-signature': v.signature,
        },
        'malformed_header',
        'webhook-id',
      ],
    ];
    for (const [h, code, words] of cases) {
      const result = await verifier.verify({ header: (n) => h[n], body: v.body });
      expect(result).toMatchObject({ ok: false, status: 401, code });
      expect(result.ok === false && result.detail).toContain(words);
    }
  });

  it('counts every refusal by scheme and reason', async () => {
    const metrics = recordingMetrics();
    try {
      const v = VECTORS[0] as Vector;
      const verifier = webhookVerifier({ secrets: v.secret, now: at(v, 400) });
      await verifier.verify({ header: headersOf(v), body: v.body });
      await verifier.verify({ header: () => undefined, body: v.body });
      const name = 'platform_access_webhook_refusals_total';
      expect(metrics.value(name, { scheme: 'standard', reason: 'timestamp_out_of_window' })).toBe(
        1,
      );
      expect(metrics.value(name, { reason: 'missing_headers' })).toBe(1);
      expect(metrics.value(name)).toBe(2);
    } finally {
      metrics.restore();
    }
  });

  it('refuses senders outside the allow list with 403', async () => {
    const v = VECTORS[0] as Vector;
    const verifier = webhookVerifier({
      secrets: v.secret,
      now: at(v),
      allowIps: ['10.0.0.0/8', '2001:db8::/32'],
    });
    expect((await verifier.verify({ header: headersOf(v), body: v.body, ip: '10.1.2.3' })).ok).toBe(
      true,
    );
    for (const ip of ['192.168.0.1', '2001:db9::1', undefined]) {
      expect(await verifier.verify({ header: headersOf(v), body: v.body, ip })).toMatchObject({
        status: 403,
        code: 'ip_not_allowed',
      });
    }
  });

  it('fails fast on a bad configuration, naming the field', () => {
    expect(() => webhookVerifier({ secrets: [] })).toThrow(/secrets/);
    expect(() => webhookVerifier({ secrets: 'whsec_!!' })).toThrow(/secrets/);
    expect(() => webhookVerifier({ secrets: 'whsec_MfKQ9r8G', allowIps: ['10.0.0.0/40'] })).toThrow(
      /10.0.0.0\/40/,
    );
  });
});

describe('webhookVerifier (stripe preset)', () => {
  const secret = 'whsec_stripe_test_secret';
  const body = '{"id":"evt_1","type":"invoice.paid"}';

  it('verifies what signWebhook signs, with either of two sender secrets', async () => {
    const h = signWebhook({
      scheme: 'stripe',
      secret: ['old', secret],
      body,
      timestamp: 1_700_000_000,
    });
    expect(h['stripe-signature']).toMatch(/^t=1700000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    const verifier = webhookVerifier({
      scheme: 'stripe',
      secrets: secret,
      now: () => 1_700_000_100_000,
    });
    expect(await verifier.verify({ header: (n) => h[n], body })).toMatchObject({
      ok: true,
      id: '1700000000',
    });
    expect(await verifier.verify({ header: (n) => h[n], body })).toMatchObject({
      code: 'replayed',
    });
    expect(await verifier.verify({ header: (n) => h[n], body: `${body} ` })).toMatchObject({
      code: 'signature_mismatch',
    });
    expect(await verifier.verify({ header: () => 'v1=abc', body })).toMatchObject({
      code: 'malformed_header',
      detail: 'stripe-signature must carry t=<unix seconds>',
    });
  });
});
