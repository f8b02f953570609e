import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  safeEqual,
  standardWebhookKey,
  standardWebhookSignature,
  timestampedSignature,
} from './webhook-signature.js';

describe('standardWebhookSignature', () => {
  // The specification's published vectors run in @platform/access (src/webhooks/verify.test.ts).
  it('is v1,<base64 HMAC of "id.timestamp.body"> keyed by the decoded secret', () => {
    const key = Buffer.from('a-24-byte-secret-key-abc');
    const secret = `whsec_${key.toString('base64')}`;
    const mac = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
    expect(standardWebhookSignature(secret, 'msg_1', 1700000000, '{"a":1}')).toBe(`v1,${mac}`);
    // bytes sign the same as text, and the whsec_ prefix is optional
    expect(
      standardWebhookSignature(secret.slice(6), 'msg_1', 1700000000, Buffer.from('{"a":1}')),
    ).toBe(`v1,${mac}`);
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
