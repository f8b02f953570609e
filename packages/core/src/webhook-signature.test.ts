import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  safeEqual,
  standardWebhookKey,
  standardWebhookSignature,
  timestampedSignature,
} from './webhook-signature.js';

// Signing vectors published by the Standard Webhooks project
// (github.com/standard-webhooks/standard-webhooks, libraries/*/ "sign" tests, commit b2fa7b8).
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

describe('standardWebhookSignature', () => {
  it.each(VECTORS)('matches the published vector for $id', (v) => {
    expect(standardWebhookSignature(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
    // bytes sign the same as text, and the whsec_ prefix is optional
    expect(
      standardWebhookSignature(v.secret.slice(6), v.id, v.timestamp, Buffer.from(v.body)),
    ).toBe(v.signature);
  });

  it('refuses an empty or non-base64 secret', () => {
    expect(() => standardWebhookKey('whsec_')).toThrow(/whsec_/);
    expect(() => standardWebhookKey('')).toThrow(TypeError);
    expect(() => standardWebhookKey('whsec_not base64!')).toThrow(TypeError);
  });
});

describe('timestampedSignature', () => {
  it('is t=<unix>,v1=<hex HMAC of "t.body"> keyed by the secret text', () => {
    const mac = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    expect(timestampedSignature('s3cret', '{"a":1}', 1700000000)).toBe(`t=1700000000,v1=${mac}`);
    expect(timestampedSignature('s3cret', Buffer.from('{"a":1}'), 1700000000)).toBe(
      `t=1700000000,v1=${mac}`,
    );
  });
});

describe('safeEqual', () => {
  it('compares bytes and answers false for different lengths', () => {
    expect(safeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(safeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(safeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
  });
});
