import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryKeyProvider } from './keys/provider.js';
import { fieldProtector } from './protector.js';
import { memoryKeyStore } from './stores/memory.js';

const metrics = recordingMetrics();
afterAll(() => metrics.restore());

describe('protect metrics', () => {
  it('counts unwraps (cache misses), failed opens by code and erasures by outcome', async () => {
    const store = memoryKeyStore();
    const keys = memoryKeyProvider();
    const writer = fieldProtector({
      keys,
      store,
      holds: [{ tenantId: 'acme', subjectId: 'held' }],
    });
    const sealed = await writer.encrypt('x', { tenantId: 'acme', subjectId: 'u1', aad: 'a' });
    const reader = fieldProtector({ keys, store });
    await reader.decrypt(sealed, { tenantId: 'acme', aad: 'a' });
    await reader.decrypt(sealed, { tenantId: 'acme', aad: 'a' });
    expect(metrics.value('platform_protect_key_unwraps_total')).toBe(1);
    await reader.decrypt(sealed, { tenantId: 'acme', aad: 'b' }).catch(() => undefined);
    await reader.decrypt(sealed, { tenantId: 'globex', aad: 'a' }).catch(() => undefined);
    await writer.erase({ tenantId: 'acme', subjectId: 'u1' });
    await writer.erase({ tenantId: 'acme', subjectId: 'held' }).catch(() => undefined);
    await writer.decrypt(sealed, { tenantId: 'acme', aad: 'a' }).catch(() => undefined);
    expect(
      metrics.value('platform_protect_open_failures_total', { code: 'ciphertext_rejected' }),
    ).toBe(1);
    expect(metrics.value('platform_protect_open_failures_total', { code: 'tenant_mismatch' })).toBe(
      1,
    );
    expect(metrics.value('platform_protect_open_failures_total', { code: 'subject_erased' })).toBe(
      1,
    );
    expect(metrics.value('platform_protect_erasures_total', { outcome: 'erased' })).toBe(1);
    expect(metrics.value('platform_protect_erasures_total', { outcome: 'legal_hold' })).toBe(1);
  });
});
