import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, expect, it } from 'vitest';
import { apiKeys } from './keys.js';
import { memoryKeyStore } from './memory.js';

const metrics = recordingMetrics();
afterAll(() => metrics.restore());
const NAME = 'platform_access_api_key_verifications_total';

it('counts verifications by outcome, refusals by reason', async () => {
  const keys = apiKeys({ store: memoryKeyStore(), shutdown: false });
  const { key, info } = await keys.create({ name: 'm' });
  await keys.verify(key);
  await keys.verify(key);
  await keys.verify('nope');
  await keys.verify(key.replace(info.id, '0123456789abcdef'));
  expect(metrics.value(NAME, { outcome: 'ok' })).toBe(2);
  expect(metrics.value(NAME, { outcome: 'malformed' })).toBe(1);
  expect(metrics.value(NAME, { outcome: 'unknown' })).toBe(1);
  await keys.close();
});
